// Sends one stored notification. Once it is marked sent, a retry sends nothing.
import { ApplicationFailure } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Logger } from 'pino';
import { PREPARED } from '../../infra/connections.js';
import type { Database, MailCopy, NotificationRow } from '../../schema/database.js';
import { MAIL_RATE_LIMITED } from '../failure-types.js';
import { addressOf } from './outbox.js';
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

/** The agreement has sent its hour's worth of e-mail: the attempt is retried when the oldest of them ages out. */
async function requireMailRoom(db: Kysely<Database>, agreementId: string, perHour: number): Promise<void> {
  if (perHour <= 0) return;
  const since = new Date(Date.now() - HOUR_MS);
  const sent = await db
    .selectFrom('notifications')
    .select('sent_at')
    .where('agreement_id', '=', agreementId)
    .where('sent_at', '>', since)
    .orderBy('sent_at', 'desc')
    .limit(perHour)
    .execute();
  if (sent.length < perHour) return;
  const wait = sent.at(-1)!.sent_at!.getTime() + HOUR_MS - Date.now();
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

/**
 * The row to send and whether its agreement still has room in its hour, in one read. Nothing is written before
 * the send: the attempt is counted with its outcome, so a delivery commits once.
 */
async function load(db: Kysely<Database>, id: string, perHour: number) {
  const since = new Date(Date.now() - HOUR_MS);
  const room =
    perHour > 0
      ? sql<boolean>`(select count(*) from (select 1 from notifications w where w.agreement_id =
        notifications.agreement_id
        and w.sent_at > ${since} limit ${perHour}) recent) < ${perHour}`
      : sql<boolean>`true`;
  // Named columns, not `*`: a prepared statement whose row shape a migration changes fails until reconnected.
  const { rows } = await sql<Pick<NotificationRow, SentColumn> & { has_room: boolean }>`${sql.raw(PREPARED)}
    select ${sql.join(SENT_COLUMNS.map((c) => sql.ref(c)))}, ${room} as has_room from notifications where id =
      ${id}`.execute(db);
  return rows[0];
}

export async function deliver(
  db: Kysely<Database>,
  mailer: Transporter,
  settings: DeliverySettings,
  log: Logger,
  id: string,
  metrics?: EngineMetrics,
): Promise<Delivered | null> {
  const row = await load(db, id, settings.perAgreementPerHour);
  if (!row) {
    log.warn({ notificationId: id }, 'notification has no recipients; nothing to send');
    return null;
  }
  const delivered = (sentAt: Date): Delivered => ({
    template: row.template,
    to: row.to_addresses,
    messageId: row.message_id,
    sentAt: sentAt.toISOString(),
  });
  if (row.status === 'sent' && row.sent_at) return delivered(row.sent_at);
  if (!row.has_room) {
    try {
      await requireMailRoom(db, row.agreement_id, settings.perAgreementPerHour);
    } catch (err) {
      log.warn(
        { agreementId: row.agreement_id, notificationId: id },
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

  const message = {
    from: settings.from,
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
  try {
    if (!row.copies) {
      await mailer.sendMail({ ...message, text: row.text_body, html: row.html_body, messageId: row.message_id });
    } else {
      await sendCopies(db, mailer, id, row.copies, message);
    }
  } catch (err) {
    metrics?.emailsFailed.inc({ template: row.template });
    await db
      .updateTable('notifications')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((err as Error).message).slice(0, 500) }))
      .where('id', '=', id)
      .execute();
    log.warn(
      { agreementId: row.agreement_id, notificationId: id, err: (err as Error).message },
      'e-mail not accepted; will retry',
    );
    throw err;
  }
  // A crash between the SMTP server's acceptance and this update is the one window that can resend (same Message-ID).
  const sentAt = new Date();
  await sql`${sql.raw(PREPARED)}
    update notifications set status = 'sent', sent_at = ${sentAt}, last_error = null, attempts = attempts + 1 where id =
      ${id}`.execute(db);
  metrics?.emailsSent.inc({ template: row.template });
  log.info(
    { agreementId: row.agreement_id, notificationId: id, template: row.template, messageId: row.message_id },
    'e-mail sent',
  );
  return delivered(sentAt);
}

/**
 * Every reader sees the same To and Cc, but each copy goes to its own address with its own link. A copy once
 * accepted is marked, so a retry sends only the rest.
 */
async function sendCopies(
  db: Kysely<Database>,
  mailer: Transporter,
  id: string,
  copies: MailCopy[],
  message: Mail.Options,
): Promise<void> {
  for (const [i, copy] of copies.entries()) {
    if (copy.sentAt) continue;
    await mailer.sendMail({
      ...message,
      envelope: { from: addressOf(String(message.from)), to: [copy.to] },
      text: copy.text,
      html: copy.html,
      messageId: copy.messageId,
    });
    await sql`update notifications set copies = jsonb_set(copies, ${sql.lit(`{${i},sentAt}`)},
      to_jsonb(${new Date().toISOString()}::text))
      where id = ${id}`.execute(db);
  }
}
