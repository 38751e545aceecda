// The Temporal dev server (CLI `start-dev`) with a SQLite file, so agreements survive a restart.
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { temporalCli } from './binaries.js';
import { waitForPort } from './wait.js';

export const SEARCH_ATTRIBUTES = ['SinergiStage=Keyword', 'SinergiInstrument=Keyword', 'SinergiParties=KeywordList'];

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** The port opens before the frontend serves: wait until it answers a call, as the worker's first one will be. */
async function waitForFrontend(address: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > until) throw new Error(`Temporal at ${address} does not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startDevServer(opts: {
  dbFile: string;
  port: number;
  uiPort: number;
  log: (line: string) => void;
}): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    opts.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', sa]),
  ];
  const child: ChildProcess = spawn(temporalCli(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => opts.log(d.toString().trimEnd()));
  child.stderr?.on('data', (d: Buffer) => opts.log(d.toString().trimEnd()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal exited with code ${code}`))),
  );
  await Promise.race([
    waitForPort(opts.port, 30_000).then(() => waitForFrontend(`127.0.0.1:${opts.port}`, 30_000)),
    exited,
  ]);
  exited.catch(() => undefined);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
