#!/usr/bin/env node
// The CLI: the TypeScript through tsx in a checkout, the built one (dist/) in the production image.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}cli/main.ts`;
const args = existsSync(source) ? ['--import', 'tsx', source] : [`${root}dist/cli/main.js`];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
