// Runs a script on the Node.js that production runs (the Dockerfile's LTS, installed by `bootstrap.mjs bench`), so a
// benchmark's figures are the image's, not this machine's Node's: `node scripts/on-production-node.mjs [flags] x.ts`.
// Where that binary has no build (not Linux x64) it runs on this Node, and says so first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { NODE_LTS, NODE_LTS_BINARY } from './node-lts.mjs';

const onLts = existsSync(NODE_LTS_BINARY);
if (!onLts)
  console.log(`[node] no Node ${NODE_LTS} here (${NODE_LTS_BINARY}): running on this machine's ${process.version}`);
const asInProduction = new URL('./without-source-maps.mjs', import.meta.url).href;
const args = ['--import', 'tsx', '--import', asInProduction, ...process.argv.slice(2)];
const child = spawn(onLts ? NODE_LTS_BINARY : process.execPath, args, { stdio: 'inherit' });
// Ctrl-C reaches the whole process group; the benchmark stops what it started and exits on its own.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
