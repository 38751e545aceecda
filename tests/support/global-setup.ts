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
  // In a private clone run as root the data lives in the shared folder instead (scripts/local/postgres.ts).
  for (const dir of [dataDir, postgres?.dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
}
