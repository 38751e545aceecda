// Every side effect a workflow may ask for, built once over the worker's connections.
import { ApplicationFailure } from '@temporalio/activity';
import { sql, type Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { CalendarData } from '../domain/calendar.js';
import type { RecordedEvent } from '../domain/events.js';
import { loadHolidayLists } from './calendar/holiday-lists.js';
import { countAppended, type EngineMetrics } from './metrics.js';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import {
  ExpectedVersionConflictError,
  appendToStream,
  type AppendResult,
  type InlineWrite,
} from './event-store/append.js';
import { isPermanentDatabaseError, sqlStateOf } from './event-store/permanent-errors.js';
import { DATA_REJECTED, EXPECTED_VERSION_CONFLICT, NUMBER_TAKEN } from './failure-types.js';
import { changesNumbers, NumberTakenError, registerNumbers, storedNumbers, takeNumbers } from './numbering/register.js';
import {
  DEFAULT_MAIL_PER_AGREEMENT_PER_HOUR,
  deliver,
  deliverAll,
  deliverRendered,
  roomFor,
  roomOf,
  type Delivered,
  type SentInStep,
} from './notifications/deliver.js';
import { loadParties } from './notifications/directory.js';
import { NOTHING_SENT, receiptsFor, storedReceipts, type SendNow, type SentNow } from './notifications/receipts.js';
import {
  renderNotification,
  storeNotifications,
  type MailIdentity,
  type NotificationToStore,
  type OutboxRow,
} from './notifications/outbox.js';
import { viewAfter, viewAfterWith, viewFoldedOn } from './projections/agreements.js';
import { inlineProjections } from './projections/inline.js';
import { DEFAULT_STUCK_AFTER_ATTEMPTS, StuckWatch, currentAttempt } from './stuck.js';

export interface ActivityDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  mail: MailIdentity;
  log: Logger;
  /** The folder of holiday lists, one `<year>.json` per year. */
  holidaysDir: string;
  metrics?: EngineMetrics;
  /** After this many attempts a failing activity is reported as stuck (log + gauge). */
  stuckAfterAttempts?: number;
  /** E-mails one agreement may send in an hour (0: no limit); the default is DEFAULT_MAIL_PER_AGREEMENT_PER_HOUR. */
  mailPerAgreementPerHour?: number;
}

export interface AppendEventsInput {
  streamId: string;
  expectedVersion: number;
  events: RecordedEvent[];
  /**
   * The agreement's view after these events, as workflows scheduled before this field was dropped still send
   * it. Now the activity computes it from the stored view and the events with the same pure `evolve`, so the
   * workflow's history no longer carries the whole agreement at every step.
   */
  view?: AgreementView;
  notifications: NotificationToStore[];
}

/** A step of the engine's whose e-mails go out in the same activity, their receipts stored after its events. */
export interface AppendAndSendInput extends AppendEventsInput {
  sendNow: SendNow;
}

export type AppendAndSendResult = AppendResult & SentNow;

/** What the engine's sending step reads before it writes: the view after its events, and the agreement's room. */
interface StepRead {
  view: AgreementView;
  room: number;
}

/** An append's outcome, and the e-mails rendered and stored with it (never handed back to the workflow). */
interface Written {
  result: AppendResult;
  rendered: OutboxRow[];
}

export function createActivities({
  db,
  mailer,
  mail,
  log,
  holidaysDir,
  metrics,
  stuckAfterAttempts,
  mailPerAgreementPerHour,
}: ActivityDeps) {
  const delivery = {
    from: mail.from,
    perAgreementPerHour: mailPerAgreementPerHour ?? DEFAULT_MAIL_PER_AGREEMENT_PER_HOUR,
  };
  const watch = new StuckWatch(stuckAfterAttempts ?? DEFAULT_STUCK_AFTER_ATTEMPTS, log, metrics);

  /** The events, their read models and their e-mails, written in one statement (on `db` or in a transaction). */
  async function write(
    on: Kysely<Database>,
    input: AppendEventsInput,
    events: RecordedEvent[],
    known?: AgreementView,
    also: InlineWrite[] = [],
  ): Promise<Written> {
    const { streamId, expectedVersion, notifications } = input;
    const view = known ?? input.view ?? (await viewAfter(on, streamId, expectedVersion, events));
    let rows: OutboxRow[] = [];
    if (notifications.length > 0) {
      const partyIds = notifications.flatMap((n) => [...n.to.partyIds, ...(n.cc?.partyIds ?? [])]);
      const parties = await loadParties(on, [...partyIds, ...view.parties.map((p) => p.partyId)]);
      const stamp = events[0]?.meta.occurredAt ?? view.updatedAt;
      rows = notifications
        .map((n) => renderNotification(n, view, parties, mail, stamp))
        .filter((r): r is OutboxRow => r !== null);
    }
    const inline = [...inlineProjections(view, events), ...(rows.length ? [storeNotifications(rows)] : []), ...also];
    return { result: await appendToStream(on, streamId, expectedVersion, events, inline), rendered: rows };
  }

  /**
   * A step that takes or gives up document numbers: the numbers, the registers and the events commit together.
   * A retry of a step already stored hands back the numbers it stored.
   */
  async function appendNumbered(input: AppendEventsInput): Promise<Written> {
    const stored = await storedNumbers(db, input.events);
    if (stored) {
      const { result, rendered } = await write(db, input, input.events);
      return { result: { ...result, ...(stored.taken ? { numbers: stored.taken } : {}) }, rendered };
    }
    return db.transaction().execute(async (trx) => {
      const before = await viewAfter(trx, input.streamId, input.expectedVersion, []);
      const { events, taken } = await takeNumbers(trx, input.events, before.parties);
      const view = await viewAfter(trx, input.streamId, input.expectedVersion, events);
      await registerNumbers(trx, input.streamId, before.signing, view.signing, view.parties, events);
      const { result, rendered } = await write(trx, { ...input, view: undefined }, events, view);
      // Stored by another try in the meantime: undo these numbers and hand back that try's.
      if (result.alreadyStored) throw new Error('numbered step stored by an earlier try; retrying');
      return { result: { ...result, ...(taken ? { numbers: taken } : {}) }, rendered };
    });
  }

  async function append(input: AppendEventsInput, also: InlineWrite[] = []): Promise<AppendResult> {
    return (await appendRendered(input, also)).result;
  }

  /** The append, with the e-mails as rendered and stored with it (for a step that sends them at once). */
  async function appendRendered(input: AppendEventsInput, also: InlineWrite[] = []): Promise<Written> {
    const { streamId, events } = input;
    try {
      const written = changesNumbers(events)
        ? await appendNumbered(input)
        : await write(db, input, events, undefined, also);
      const { result } = written;
      log.info(
        {
          agreementId: streamId,
          workflowId: events[0]?.meta.workflowId,
          version: result.version,
          types: events.map((e) => e.type),
          alreadyStored: result.alreadyStored,
          numbers: result.numbers?.documentNumbers,
        },
        'events appended',
      );
      if (!result.alreadyStored)
        countAppended(
          metrics,
          events.map((e) => e.type),
        );
      return written;
    } catch (err) {
      if (err instanceof ExpectedVersionConflictError) {
        throw ApplicationFailure.create({ type: EXPECTED_VERSION_CONFLICT, message: err.message, nonRetryable: true });
      }
      if (err instanceof NumberTakenError) {
        log.info(
          { agreementId: streamId, partyId: err.partyId, number: err.number },
          'document number already taken; command refused',
        );
        throw ApplicationFailure.create({
          type: NUMBER_TAKEN,
          message: err.message,
          details: [err.partyId],
          nonRetryable: true,
        });
      }
      if (isPermanentDatabaseError(err)) {
        // A poison pill: retrying would hold the agreement's lock forever. The workflow refuses the command.
        log.error(
          { agreementId: streamId, sqlState: sqlStateOf(err), err: (err as Error).message },
          'append refused by the database; not retried',
        );
        throw ApplicationFailure.create({
          type: DATA_REJECTED,
          message: (err as Error).message,
          details: [sqlStateOf(err)],
          nonRetryable: true,
        });
      }
      throw err;
    }
  }

  /**
   * Sends the step's first e-mails within the budget, then stores their receipts. A retry sends nothing: it hands
   * back the receipts an earlier try stored, or leaves every e-mail to the outbox, which never sends one twice.
   */
  async function sendNow(input: AppendAndSendInput, stored: Written, read?: StepRead): Promise<SentNow> {
    const { streamId } = input;
    const { mails, meta, budgetMs } = input.sendNow;
    if (stored.result.alreadyStored || currentAttempt() > 1) return storedReceipts(db, streamId, mails);
    const view = read?.view;
    let delivered: SentInStep;
    try {
      const ids = mails.map((m) => m.notificationId);
      const until = Date.now() + budgetMs;
      const room = read?.room ?? (await roomOf(db, streamId, delivery.perAgreementPerHour));
      delivered = await deliverRendered(db, mailer, delivery, log, ids, stored.rendered, room, metrics, until);
    } catch (err) {
      // SMTP down or the hourly limit reached: the outbox sends them, with its retries.
      log.info({ agreementId: streamId, err: (err as Error).message }, 'e-mails left to the outbox');
      return NOTHING_SENT;
    }
    const { results, unmarked } = delivered;
    const now = receiptsFor(mails, results, meta);
    const { receipts } = now;
    if (receipts.length === 0) {
      await unmarked.markNow();
      return now;
    }
    const after = view ? { view: viewFoldedOn(view, receipts) } : {};
    const version = stored.result.version;
    const receiptsInput = { streamId, expectedVersion: version, events: receipts, notifications: [], ...after };
    try {
      // The e-mails are marked sent in the statement that stores their receipts.
      await append(receiptsInput, [unmarked.write]);
    } catch (err) {
      // Marked on their own, so that the outbox, which then stores their receipts, does not send them again.
      await unmarked.markNow();
      throw err;
    }
    unmarked.committed();
    return now;
  }

  return {
    async appendEvents(input: AppendEventsInput): Promise<AppendResult> {
      return watch.attempt('appendEvents', { agreementId: input.streamId }, () => append(input));
    },

    /** The engine's own step (deadlines fired) with its first e-mails sent at once: one activity, not three. */
    async appendEventsAndSend(input: AppendAndSendInput): Promise<AppendAndSendResult> {
      return watch.attempt('appendEvents', { agreementId: input.streamId }, async () => {
        // Folded here once, the view serves the step's append and then its receipts', not read back in between.
        // The agreement's room for e-mail this hour is read with it: its e-mails go out one step at a time, so the
        // room cannot shrink before this step sends.
        const { streamId, expectedVersion, events } = input;
        let read: StepRead | undefined;
        if (!changesNumbers(events)) {
          const room = roomFor(sql`${streamId}`, delivery.perAgreementPerHour);
          const { view, also } = await viewAfterWith(db, streamId, expectedVersion, events, room);
          read = { view, room: also };
        }
        const stored = await appendRendered(read ? { ...input, view: read.view } : input);
        return { ...stored.result, ...(await sendNow(input, stored, read)) };
      });
    },

    async loadWorkingCalendar(): Promise<CalendarData> {
      return loadHolidayLists(holidaysDir, log);
    },

    async deliverNotification(notificationId: string): Promise<Delivered | null> {
      return watch.attempt('deliverNotification', { notificationId }, () =>
        deliver(db, mailer, delivery, log, notificationId, metrics),
      );
    },

    /**
     * An agreement's queued e-mails in one activity, in order over the pooled connections, the hourly limit kept.
     * A failure fails the batch; its retry skips those already sent. Watched under the batch's first e-mail.
     */
    async deliverNotifications(notificationIds: string[]): Promise<(Delivered | null)[]> {
      return watch.attempt('deliverNotification', { notificationId: notificationIds[0] ?? 'none' }, () =>
        deliverAll(db, mailer, delivery, log, notificationIds, metrics),
      );
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
