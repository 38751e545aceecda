// Sends one stored notification. Once it is marked sent, a retry sends nothing.
import { ApplicationFailure } from '@temporalio/activity';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Logger } from 'pino';
import { PREPARED } from '../../infra/connections.js';
import type { Database, MailCopy, NotificationRow } from '../../schema/database.js';
import type { InlineWrite } from '../event-store/append.js';
import { MAIL_RATE_LIMITED } from '../failure-types.js';
import { addressOf, type OutboxRow } from './outbox.js';
import type { EngineMetrics } from '../metrics.js';

export interface Delivered {
  template: string;
  to: string[];
  messageId: string;
  sentAt: string;
}

/** How many e-mails one agreement may send in an hour; past it, the next one waits (it is delayed, never dropped). */
export const DEFAULT_MAIL_PER_AGREEMENT_PER_HOUR = 60;
const HOUR_MS = 3_600_000;
/** The room of an agreement without a limit. */
const NO_LIMIT = 2_147_483_647;

/** When the agreement's e-mails of the last hour were sent, newest first; no more than `perHour` are read. */
async function sentInTheLastHour(db: Kysely<Database>, agreementId: string, perHour: number): Promise<Date[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('sent_at')
    .where('agreement_id', '=', agreementId)
    .where('sent_at', '>', new Date(Date.now() - HOUR_MS))
    .orderBy('sent_at', 'desc')
    .limit(perHour)
    .execute();
  return rows.map((r) => r.sent_at!);
}

/** The agreement has sent its hour's worth of e-mail: the attempt is retried when the oldest of them ages out. */
async function requireMailRoom(db: Kysely<Database>, agreementId: string, perHour: number): Promise<void> {
  if (perHour <= 0) return;
  const sent = await sentInTheLastHour(db, agreementId, perHour);
  if (sent.length < perHour) return;
  const wait = sent.at(-1)!.getTime() + HOUR_MS - Date.now();
  throw ApplicationFailure.create({
    type: MAIL_RATE_LIMITED,
    message: `agreement ${agreementId} sent ${perHour} e-mails in the last hour`,
    nextRetryDelay: Math.max(1000, wait),
  });
}

export interface DeliverySettings {
  from: string;
  /** 0 turns the limit off. */
  perAgreementPerHour: number;
}

/** What a delivery reads of its row. */
const SENT_COLUMNS = [
  'id',
  'agreement_id',
  'template',
  'to_addresses',
  'cc_addresses',
  'subject',
  'text_body',
  'html_body',
  'ics',
  'message_id',
  'status',
  'copies',
  'sent_at',
] as const;
type SentColumn = (typeof SENT_COLUMNS)[number];
type Row = Pick<NotificationRow, SentColumn> & { room: number };

/** How many more e-mails the agreement may send this hour, as an expression over `agreementId` (an id or a column). */
export function roomFor(agreementId: RawBuilder<string>, perHour: number): RawBuilder<number> {
  if (perHour <= 0) return sql<number>`${sql.lit(NO_LIMIT)}`;
  const since = new Date(Date.now() - HOUR_MS);
  return sql<number>`${perHour}::int - (select count(*) from (select 1 from notifications w where w.agreement_id =
    ${agreementId} and w.sent_at > ${since} limit ${perHour}) recent)::int`;
}

/** How many more e-mails the agreement may send this hour. */
export async function roomOf(db: Kysely<Database>, agreementId: string, perHour: number): Promise<number> {
  const { rows } = await sql<{ room: number }>`select ${roomFor(sql`${agreementId}`, perHour)} as room`.execute(db);
  return rows[0]!.room;
}

/**
 * The rows to send, each with how many more e-mails its agreement may send this hour, in one read. Nothing is
 * written before the send: the attempt is counted with its outcome, so a delivery commits once.
 */
async function load(db: Kysely<Database>, ids: string[], perHour: number): Promise<Map<string, Row>> {
  const room = roomFor(sql<string>`notifications.agreement_id`, perHour);
  // Named columns, not `*`: a prepared statement whose row shape a migration changes fails until reconnected.
  const { rows } = await sql<Row>`${sql.raw(PREPARED)}
    select ${sql.join(SENT_COLUMNS.map((c) => sql.ref(c)))}, ${room} as room from notifications where id =
      any(${ids}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/** The agreement has no room left this hour: logged, and the attempt is retried when the oldest ages out. */
async function holdBack(db: Kysely<Database>, row: Row, perHour: number, log: Logger): Promise<never> {
  try {
    await requireMailRoom(db, row.agreement_id, perHour);
  } catch (err) {
    log.warn(
      { agreementId: row.agreement_id, notificationId: row.id },
      'e-mail held back: the agreement reached its hourly limit',
    );
    throw err;
  }
  // Room came free between the two reads: take it on the next attempt.
  throw ApplicationFailure.create({
    type: MAIL_RATE_LIMITED,
    message: `agreement ${row.agreement_id}: try again`,
    nextRetryDelay: 1000,
  });
}

export async function deliver(
  db: Kysely<Database>,
  mailer: Transporter,
  settings: DeliverySettings,
  log: Logger,
  id: string,
  metrics?: EngineMetrics,
): Promise<Delivered | null> {
  return (await deliverAll(db, mailer, settings, log, [id], metrics))[0]!;
}

/**
 * Sends stored notifications in order, read in one query; those the SMTP server accepted are marked sent (with their
 * copies) in one statement at the end, or before a failure is thrown. Past the hourly limit the rest wait; a retry
 * sends only what is not marked. No send starts after `until` (epoch ms): the results then stop short of `ids`.
 */
export async function deliverAll(
  db: Kysely<Database>,
  mailer: Transporter,
  settings: DeliverySettings,
  log: Logger,
  ids: string[],
  metrics?: EngineMetrics,
  until = Number.POSITIVE_INFINITY,
): Promise<(Delivered | null)[]> {
  const rows = await load(db, ids, settings.perAgreementPerHour);
  const { results, accepted } = await sendInOrder(db, mailer, settings, log, ids, rows, metrics, until);
  await markSent(db, accepted, log, metrics);
  return results;
}

/** E-mails the SMTP server accepted, not marked sent yet: the step marks them in the statement of their receipts. */
export interface Unmarked {
  /** Marks them sent, in the statement it is part of (it runs whether or not that statement's append is refused). */
  write: InlineWrite;
  /** Logs and counts them, once that statement has committed. */
  committed(): void;
  /** Marks them sent on their own: when their receipts could not be stored. */
  markNow(): Promise<void>;
}

/** What a step sent: each e-mail's outcome in order (stopping short where its budget ran out), and those to mark. */
export interface SentInStep {
  results: (Delivered | null)[];
  unmarked: Unmarked;
}

/**
 * One agreement's e-mails just stored in this activity, sent from the rows as rendered, with the agreement's `room`
 * this hour as the step read it (see `roomFor`): nothing is read again. As `deliverAll` otherwise, except that the
 * e-mails accepted are left for the caller to mark with their receipts (a statement fewer). Those accepted before a
 * failure are marked before it is thrown, as `deliverAll` does.
 */
export async function deliverRendered(
  db: Kysely<Database>,
  mailer: Transporter,
  settings: DeliverySettings,
  log: Logger,
  ids: string[],
  rendered: OutboxRow[],
  room: number,
  metrics?: EngineMetrics,
  until = Number.POSITIVE_INFINITY,
): Promise<SentInStep> {
  const rows = new Map(rendered.map((r): [string, Row] => [r.id, { ...r, sent_at: null, room }]));
  const { results, accepted } = await sendInOrder(db, mailer, settings, log, ids, rows, metrics, until);
  const unmarked: Unmarked = {
    write: () => markSentStatement(accepted),
    committed: () => logSent(accepted, log, metrics),
    markNow: () => markSent(db, accepted, log, metrics),
  };
  return { results, unmarked };
}

async function sendInOrder(
  db: Kysely<Database>,
  mailer: Transporter,
  settings: DeliverySettings,
  log: Logger,
  ids: string[],
  rows: Map<string, Row>,
  metrics: EngineMetrics | undefined,
  until: number,
): Promise<{ results: (Delivered | null)[]; accepted: Sent[] }> {
  const results: (Delivered | null)[] = [];
  const sent: Sent[] = [];
  try {
    for (const id of ids) {
      if (Date.now() > until) break;
      const row = rows.get(id);
      if (!row) {
        log.warn({ notificationId: id }, 'notification has no recipients; nothing to send');
        results.push(null);
        continue;
      }
      if (row.status === 'sent' && row.sent_at) {
        results.push(delivered(row, row.sent_at));
        continue;
      }
      if (row.room - sent.length <= 0) {
        await markSent(db, sent.splice(0), log, metrics);
        await holdBack(db, row, settings.perAgreementPerHour, log);
      }
      const one = await send(db, mailer, settings.from, log, row, metrics);
      sent.push(one);
      results.push(delivered(row, one.sentAt));
    }
  } catch (err) {
    // What the SMTP server accepted before the failure is marked, so the retry does not send it again.
    await markSent(db, sent, log, metrics);
    throw err;
  }
  return { results, accepted: sent };
}

/** An e-mail the SMTP server accepted, to be marked sent (with the copies it went out as). */
interface Sent {
  row: Row;
  sentAt: Date;
  copies: MailCopy[] | null;
}

/**
 * Marks a queue's accepted e-mails sent in one statement. A crash between the SMTP server's acceptance and this
 * update is the one window that can resend (the same Message-IDs).
 */
async function markSent(db: Kysely<Database>, sent: Sent[], log: Logger, metrics?: EngineMetrics): Promise<void> {
  if (sent.length === 0) return;
  await sql`${sql.raw(PREPARED)} ${markSentStatement(sent)}`.execute(db);
  logSent(sent, log, metrics);
}

/**
 * The update that marks e-mails sent. Of the copies only their times are sent: each stored copy takes its own, in
 * order, and keeps its text and HTML as stored. A row already marked is left as it is.
 */
function markSentStatement(sent: Sent[]): RawBuilder<unknown> {
  const copyTimes = sent.map((s) => (s.copies ? JSON.stringify(s.copies.map((c) => c.sentAt ?? null)) : null));
  return sql`update notifications n set status = 'sent', sent_at = v.sent_at, last_error = null,
      attempts = n.attempts + 1, copies = case when v.copy_times is null then n.copies else (
        select coalesce(jsonb_agg(c.copy || jsonb_strip_nulls(jsonb_build_object('sentAt', v.copy_times ->
          (c.i::int - 1))) order by c.i), n.copies)
        from jsonb_array_elements(n.copies) with ordinality as c(copy, i)) end
    from unnest(${sent.map((s) => s.row.id)}::uuid[], ${sent.map((s) => s.sentAt)}::timestamptz[],
      ${copyTimes}::jsonb[]) as v(id, sent_at, copy_times)
    where n.id = v.id and n.status = 'pending'`;
}

function logSent(sent: Sent[], log: Logger, metrics?: EngineMetrics): void {
  for (const { row } of sent) {
    metrics?.emailsSent.inc({ template: row.template });
    log.info(
      { agreementId: row.agreement_id, notificationId: row.id, template: row.template, messageId: row.message_id },
      'e-mail sent',
    );
  }
}

function delivered(row: Row, sentAt: Date): Delivered {
  return { template: row.template, to: row.to_addresses, messageId: row.message_id, sentAt: sentAt.toISOString() };
}

async function send(
  db: Kysely<Database>,
  mailer: Transporter,
  from: string,
  log: Logger,
  row: Row,
  metrics?: EngineMetrics,
): Promise<Sent> {
  const message = {
    from,
    to: row.to_addresses,
    ...(row.cc_addresses.length ? { cc: row.cc_addresses } : {}),
    subject: row.subject,
    // The attachment's method is the calendar's own: REQUEST invites or moves, CANCEL calls off.
    ...(row.ics
      ? {
          icalEvent: {
            method: /^METHOD:(\w+)/m.exec(row.ics)?.[1] ?? 'REQUEST',
            filename: 'undangan.ics',
            content: row.ics,
          },
        }
      : {}),
  };
  const copies = row.copies ? row.copies.map((c) => ({ ...c })) : null;
  try {
    if (!copies) {
      await mailer.sendMail({ ...message, text: row.text_body, html: row.html_body, messageId: row.message_id });
    } else {
      await sendCopies(mailer, copies, message);
    }
  } catch (err) {
    metrics?.emailsFailed.inc({ template: row.template });
    // The copies already accepted are marked, so the retry sends only the rest.
    await db
      .updateTable('notifications')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: String((err as Error).message).slice(0, 500),
        ...(copies ? { copies: JSON.stringify(copies) } : {}),
      }))
      .where('id', '=', row.id)
      .execute();
    log.warn(
      { agreementId: row.agreement_id, notificationId: row.id, err: (err as Error).message },
      'e-mail not accepted; will retry',
    );
    throw err;
  }
  return { row, sentAt: new Date(), copies };
}

/**
 * Every reader sees the same To and Cc, but each copy goes to its own address with its own link. The copies go out
 * together over the pooled connections; each one accepted gets its time, so a retry sends only the rest.
 */
async function sendCopies(mailer: Transporter, copies: MailCopy[], message: Mail.Options): Promise<void> {
  const outcomes = await Promise.allSettled(
    copies.map(async (copy) => {
      if (copy.sentAt) return;
      await mailer.sendMail({
        ...message,
        envelope: { from: addressOf(String(message.from)), to: [copy.to] },
        text: copy.text,
        html: copy.html,
        messageId: copy.messageId,
      });
      copy.sentAt = new Date().toISOString();
    }),
  );
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
}
