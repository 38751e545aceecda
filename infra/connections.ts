// The worker's and API's connections: PostgreSQL pool, SMTP transport, Temporal.
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import pg from 'pg';
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
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
