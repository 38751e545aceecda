// Sends one stored notification. Once it is marked sent, a retry sends nothing.
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Database } from '../../schema/database.js';
import type { EngineMetrics } from '../metrics.js';

export interface Delivered {
  template: string;
  to: string[];
  messageId: string;
  sentAt: string;
}

export async function deliver(db: Kysely<Database>, mailer: Transporter, from: string, log: Logger, id: string, metrics?: EngineMetrics): Promise<Delivered | null> {
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    log.warn({ notificationId: id }, 'notification has no recipients; nothing to send');
    return null;
  }
  const delivered = (sentAt: Date): Delivered => ({ template: row.template, to: row.to_addresses, messageId: row.message_id, sentAt: sentAt.toISOString() });
  if (row.status === 'sent' && row.sent_at) return delivered(row.sent_at);

  await db.updateTable('notifications').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();
  try {
    await mailer.sendMail({
      from,
      to: row.to_addresses,
      ...(row.cc_addresses.length ? { cc: row.cc_addresses } : {}),
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      messageId: row.message_id,
      ...(row.ics ? { icalEvent: { method: 'REQUEST', filename: 'undangan.ics', content: row.ics } } : {}),
    });
  } catch (err) {
    metrics?.emailsFailed.inc({ template: row.template });
    await db.updateTable('notifications').set({ last_error: String((err as Error).message).slice(0, 500) }).where('id', '=', id).execute();
    log.warn({ agreementId: row.agreement_id, notificationId: id, err: (err as Error).message }, 'e-mail not accepted; will retry');
    throw err;
  }
  // A crash between the SMTP server's acceptance and this update is the one window that can resend (same Message-ID).
  const sentAt = new Date();
  await db.updateTable('notifications').set({ status: 'sent', sent_at: sentAt, last_error: null }).where('id', '=', id).execute();
  metrics?.emailsSent.inc({ template: row.template });
  log.info({ agreementId: row.agreement_id, notificationId: id, template: row.template, messageId: row.message_id }, 'e-mail sent');
  return delivered(sentAt);
}
