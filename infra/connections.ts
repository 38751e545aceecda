// The worker's and API's connections: PostgreSQL pool, SMTP transport, Temporal.
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type Compilable } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from '../schema/database.js';

// A calendar date is a date, not a midnight in this process's zone: `date` and `date[]` come back as YYYY-MM-DD.
pg.types.setTypeParser(1082, (value: string) => value);
pg.types.setTypeParser(1182 as 1082, (value: string) => (value === '{}' ? [] : value.slice(1, -1).split(',')));

/** A statement that starts with this comment is prepared once per connection (its text must not vary). */
export const PREPARED = '/* prepared */';

/**
 * Runs marked statements as named prepared statements: PostgreSQL parses and plans them once per connection,
 * which is most of the cost of the event store's append after the commit itself.
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads; only a string text is changed
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && config.startsWith(PREPARED)) {
      const name = `s_${createHash('sha1').update(config).digest('hex').slice(0, 20)}`;
      return super.query({ name, text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}

// bigint columns (global_position) come back as strings; keep them exact.
export function createDb(
  databaseUrl: string,
  max = 10,
  onIdleError: (err: Error) => void = () => {},
): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, Client: PreparingClient });
  // An idle connection dropped by a PostgreSQL restart must not crash the process; the next query reconnects.
  pool.on('error', onIdleError);
  // A connection checked out between two statements has no pool listener; its query fails on its own, and the
  // termination notice (a restart, pg_terminate_backend) must not become an uncaught exception.
  pool.on('connect', (client) => client.on('error', onIdleError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/** Each database's pool, for the scans that read through a cursor rather than through Kysely. */
const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * A query's rows a chunk at a time, through a cursor on a connection of its own: a scan of a million events holds
 * one chunk, and pg-cursor parses the rows with about a quarter less CPU than pages of plain queries. The next
 * chunk is asked for before this one is used, so PostgreSQL reads while the caller works.
 */
export async function* scanInChunks<R>(
  db: Kysely<Database>,
  query: Compilable<R>,
  chunkSize: number,
): AsyncGenerator<R[]> {
  const pool = pools.get(db);
  if (!pool) throw new Error('scanInChunks needs a database made by createDb');
  const { sql, parameters } = query.compile();
  const client = await pool.connect();
  let cursor: Cursor<R> | undefined;
  let next: Promise<R[]> | undefined;
  let failed: unknown;
  try {
    // The rows come in the index's order as they are read: a plan that sorts first would hold the whole result
    // before the first chunk, and parallel workers would take cores the caller is using.
    await client.query('begin read only');
    await client.query('set local enable_sort = off');
    await client.query('set local max_parallel_workers_per_gather = 0');
    cursor = client.query(new Cursor<R>(sql, [...parameters]));
    next = cursor.read(chunkSize);
    for (let rows = await next; rows.length > 0; rows = await next) {
      next = cursor.read(chunkSize);
      yield rows;
    }
  } catch (err) {
    failed = err;
    throw err;
  } finally {
    // A caller that stops early leaves a read in flight: it settles before the cursor is closed.
    await next?.catch(() => {});
    await cursor?.close().catch((err: unknown) => (failed ??= err));
    await client.query(failed ? 'rollback' : 'commit').catch((err: unknown) => (failed ??= err));
    // A connection that failed mid-scan is dropped, not handed to the next caller.
    client.release(failed instanceof Error ? failed : undefined);
  }
}

/** The domain of Sinergi's Message-IDs: the sender's own, so receivers can collapse a resent copy. */
export function messageIdDomain(mailFrom: string): string {
  return /@([^>\s]+)/.exec(mailFrom)?.[1] ?? 'sinergi.local';
}

/** One pooled transport per worker. */
export function createMailer(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // The local sink has no TLS certificate; production URLs may ask for STARTTLS.
    ignoreTLS: url.hostname === '127.0.0.1' || url.hostname === 'localhost',
  });
}
