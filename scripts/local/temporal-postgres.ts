// A Temporal server with PostgreSQL persistence, without Docker: the binaries built from the Go module proxy by
// scripts/bootstrap.mjs (.tools/temporal-server), its schema applied by its own sql tool, then started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporalCli } from './binaries.js';
import { SEARCH_ATTRIBUTES } from './temporal.js';
import { waitForPort } from './wait.js';

export const TEMPORAL_SERVER_DIR = fileURLToPath(new URL('../../.tools/temporal-server/', import.meta.url));
const bin = (name: string) => join(TEMPORAL_SERVER_DIR, 'bin', name);

/** Why the Temporal-on-PostgreSQL topology cannot run here, or undefined when it can. */
export function unavailableBecause(): string | undefined {
  if (!existsSync(bin('server')) || !existsSync(bin('sql'))) {
    const go = spawnSync('go', ['version']);
    return go.status === 0
      ? 'the Temporal server was not built: run `node scripts/bootstrap.mjs` (it builds it with Go)'
      : 'Go is not installed, so the Temporal server on PostgreSQL cannot be built from the Go module proxy';
  }
  return undefined;
}

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function sqlTool(pg: PostgresTarget, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(bin('sql'), args, {
    env: {
      ...process.env,
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: pg.host,
      SQL_PORT: String(pg.port),
      SQL_USER: pg.user,
      SQL_PASSWORD: pg.password,
    },
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Creates both databases and brings their schemas up to date; safe to run again. */
export function setupSchema(pg: PostgresTarget): void {
  for (const [db, dir] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    sqlTool(pg, ['--db', db, 'create-database']); // fails harmlessly when it exists
    const versioned = join(TEMPORAL_SERVER_DIR, 'schema', dir, 'versioned');
    const setup = sqlTool(pg, ['--db', db, 'setup-schema', '-v', '0.0']);
    if (!setup.ok && !/already exists/i.test(setup.output))
      throw new Error(`schema setup of ${db} failed: ${setup.output}`);
    const update = sqlTool(pg, ['--db', db, 'update-schema', '-d', versioned]);
    if (!update.ok) throw new Error(`schema update of ${db} failed: ${update.output}`);
  }
}

const PORT_OFFSETS: Record<string, number> = {
  7233: 0,
  7234: 1,
  7235: 2,
  7239: 3,
  6933: 4,
  6934: 5,
  6935: 6,
  6939: 7,
  7243: 8,
  7936: 9,
  8000: 10,
};

/** The module's development config, pointed at our PostgreSQL and moved to ports from `portBase` up. */
function writeConfig(root: string, pg: PostgresTarget, portBase: number): void {
  const template = readFileSync(join(TEMPORAL_SERVER_DIR, 'development-postgres12.yaml'), 'utf8');
  const config = template
    .replace(/\b(7233|7234|7235|7239|6933|6934|6935|6939|7243|7936|8000)\b/g, (p) =>
      String(portBase + PORT_OFFSETS[p]!),
    )
    .replace(/127\.0\.0\.1:5432/g, `${pg.host}:${pg.port}`)
    .replace(/user: "temporal"/g, `user: "${pg.user}"`)
    .replace(/password: "temporal"/g, `password: "${pg.password}"`)
    .replace(/level: info/, 'level: warn');
  mkdirSync(join(root, 'config', 'dynamicconfig'), { recursive: true });
  writeFileSync(join(root, 'config', 'development.yaml'), config);
  writeFileSync(
    join(root, 'config', 'dynamicconfig', 'development-sql.yaml'),
    readFileSync(join(TEMPORAL_SERVER_DIR, 'development-sql.yaml')),
  );
}

export interface TemporalOnPostgres {
  address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startTemporalOnPostgres(opts: {
  root: string;
  pg: PostgresTarget;
  portBase: number;
}): Promise<TemporalOnPostgres> {
  setupSchema(opts.pg);
  writeConfig(opts.root, opts.pg, opts.portBase);
  const address = `127.0.0.1:${opts.portBase}`;
  let child: ReturnType<typeof spawn> | undefined;
  const start = async () => {
    // Its output goes to a file under the root (an unread pipe would fill up and stall the server).
    const out = openSync(join(opts.root, 'temporal-server.log'), 'a');
    child = spawn(
      bin('server'),
      ['--root', opts.root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      { cwd: opts.root, stdio: ['ignore', out, out] },
    );
    // The server stops with us, however we end.
    const running = child;
    const onExit = () => running.kill('SIGKILL');
    process.once('exit', onExit);
    running.once('exit', () => process.removeListener('exit', onExit));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`temporal server exited with code ${code}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPort(opts.portBase, 60_000), exited]);
    // The namespace and search attributes, as the compose file's temporal-namespace service does.
    for (let attempt = 0; ; attempt++) {
      const describe = spawnSync(temporalCli(), [
        'operator',
        'namespace',
        'describe',
        '--namespace',
        'default',
        '--address',
        address,
      ]);
      if (describe.status === 0) break;
      const create = spawnSync(
        temporalCli(),
        ['operator', 'namespace', 'create', '--namespace', 'default', '--address', address],
        { encoding: 'utf8' },
      );
      if (create.status === 0) break;
      if (attempt > 60) throw new Error(`namespace not created: ${create.stderr}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // A new namespace takes a few seconds to reach every service's cache; retry until the attributes are in.
    for (const sa of SEARCH_ATTRIBUTES) {
      const [name, type] = sa.split('=');
      for (let attempt = 0; ; attempt++) {
        const create = spawnSync(
          temporalCli(),
          [
            'operator',
            'search-attribute',
            'create',
            '--namespace',
            'default',
            '--address',
            address,
            '--name',
            name!,
            '--type',
            type!,
          ],
          { encoding: 'utf8' },
        );
        if (create.status === 0 || /already exists/i.test(create.stderr)) break;
        if (attempt > 60) throw new Error(`search attribute ${name} not created: ${create.stderr}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await start();
  return { address, start, stop };
}
