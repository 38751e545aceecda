// Builds what production runs, once: TypeScript compiled to dist/ (no tsx at run time), the holiday lists beside
// it, and the workflow bundle. The Dockerfile runs this; `node dist/api/main.js` then starts the API.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const out = process.argv[2] ?? 'dist';

rmSync(`${root}${out}`, { recursive: true, force: true });
run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--outDir', out]);
cpSync(`${root}config/holidays`, `${root}${out}/config/holidays`, { recursive: true });
cpSync(`${root}config/templates`, `${root}${out}/config/templates`, { recursive: true });
run(process.execPath, ['--import', 'tsx', `${root}scripts/bundle-workflows.ts`, `${root}${out}/workflow-bundle.js`]);
console.log(`built ${out}/ (api, worker, cli, workflow bundle)`);
