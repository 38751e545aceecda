// `npm start`'s stack from a clone in a private folder (mode 700, as root's home or `mktemp -d`), run as root:
// PostgreSQL runs as the `postgres` user, who cannot enter that folder, so its binaries and data must be placed
// where it can. The clone's node_modules are hard links of this checkout's, so every path lies inside the
// private folder exactly as after `npm ci` there.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/stack.js';

const exec = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;
const notRunBecause = userInfo().uid === 0 ? undefined : 'only as root (PostgreSQL then runs as the postgres user)';

describe.skipIf(notRunBecause !== undefined)('a clone in a private folder, started as root', () => {
  const home = mkdtempSync(join(tmpdir(), 'sinergi-private-'));
  const clone = join(home, 'sinergi');
  let stack: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (stack && stack.exitCode === null) {
      stack.kill('SIGINT');
      await new Promise((done) => stack!.once('exit', done));
    }
    const location = join(clone, '.data', 'postgres-data-location.txt');
    try {
      rmSync(readFileSync(location, 'utf8').trim(), { recursive: true, force: true });
    } catch {
      // never started
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('starts PostgreSQL, Temporal, the worker and the API, and answers', async () => {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    await exec('git', ['clone', '--quiet', repo, clone]);
    // Hard links: the same files, at paths inside the private folder.
    await exec('cp', ['-al', join(repo, 'node_modules'), join(clone, 'node_modules')]);
    await exec('cp', ['-al', join(repo, '.tools'), join(clone, '.tools')]);
    // Below the kernel's ephemeral range, which the other suites' servers draw from at the same time.
    const base = 26_000 + (process.pid % 300) * 6;
    const [port, pgPort, temporalPort, uiPort, smtpPort] = [0, 1, 2, 3, 4].map((i) => base + i);
    stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/local-stack.ts'], {
      cwd: clone,
      env: {
        ...process.env,
        PORT: String(port),
        SINERGI_PG_PORT: String(pgPort),
        SINERGI_TEMPORAL_PORT: String(temporalPort),
        SINERGI_TEMPORAL_UI_PORT: String(uiPort),
        SINERGI_SMTP_PORT: String(smtpPort),
        SINERGI_TEMPORAL_METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    stack.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await eventually(
      'the stack is ready',
      async () =>
        output.includes('Sinergi is running') || (stack!.exitCode !== null && Promise.reject(new Error(output))),
      120_000,
    );
    expect(output).toMatch(/menyiapkan PostgreSQL… \d+\.\d s/);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status, output).toBe(200);
    // The data went where the postgres user can reach it, and the data folder says where.
    const location = readFileSync(join(clone, '.data', 'postgres-data-location.txt'), 'utf8').trim();
    expect(location.startsWith(home)).toBe(false);
    expect(statSync(join(location, 'PG_VERSION')).isFile()).toBe(true);
  }, 240_000);
});
