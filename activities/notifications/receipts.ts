// The engine's reminders sent in the step that queued them (issue 33): which e-mails to try, and their receipts.
import type { Kysely } from 'kysely';
import type { EventMeta, NotificationSent, RecordedEvent } from '../../domain/events.js';
import type { Database } from '../../schema/database.js';
import { toRecordedEvent } from '../event-store/read.js';
import type { Delivered } from './deliver.js';

/** A queued e-mail to send at once, with the id its receipt event takes (drawn by the workflow). */
export interface MailToSendNow {
  notificationId: string;
  receiptId: string;
  ref?: { followUpId: string; level: number };
}

export interface SendNow {
  mails: MailToSendNow[];
  /** The receipts' metadata: the mailer, at the step's time. */
  meta: EventMeta;
  /** No send starts later than this many ms after the events are stored; the rest wait in the outbox. */
  budgetMs: number;
}

export interface SentNow {
  /** The receipts stored after the step's own events, in order. */
  receipts: RecordedEvent[];
  /** The e-mails done: sent (with a receipt) or with no one to send to. The rest stay queued. */
  handled: string[];
}

export const NOTHING_SENT: SentNow = { receipts: [], handled: [] };

/** One receipt per e-mail the SMTP server accepted; `sent` may stop short of `mails` (the budget ran out). */
export function receiptsFor(mails: MailToSendNow[], sent: (Delivered | null)[], meta: EventMeta): SentNow {
  const receipts: RecordedEvent[] = [];
  sent.forEach((delivered, i) => {
    const mail = mails[i]!;
    if (!delivered) return;
    const ref = mail.ref ? { followUpId: mail.ref.followUpId, level: mail.ref.level } : {};
    const data: NotificationSent['data'] = { notificationId: mail.notificationId, ...delivered, ...ref };
    receipts.push({ id: mail.receiptId, type: 'NotificationSent', data, meta });
  });
  return { receipts, handled: mails.slice(0, sent.length).map((m) => m.notificationId) };
}

/** The receipts an earlier try of this step stored, if it got that far. */
export async function storedReceipts(db: Kysely<Database>, streamId: string, mails: MailToSendNow[]): Promise<SentNow> {
  const rows = await db
    .selectFrom('events')
    .select(['event_id', 'type', 'data', 'metadata'])
    .where('stream_id', '=', streamId)
    .where(
      'event_id',
      'in',
      mails.map((m) => m.receiptId),
    )
    .orderBy('version')
    .execute();
  if (rows.length === 0) return NOTHING_SENT;
  const receipts = rows.map(toRecordedEvent);
  const done = new Set(receipts.map((r) => (r.type === 'NotificationSent' ? r.data.notificationId : '')));
  return { receipts, handled: mails.filter((m) => done.has(m.notificationId)).map((m) => m.notificationId) };
}
