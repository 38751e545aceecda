// Every side effect a workflow may ask for, built once over the worker's connections.
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { CalendarData } from '../domain/calendar.js';
import type { RecordedEvent } from '../domain/events.js';
import { loadHolidayLists } from './calendar/holiday-lists.js';
import { countAppended, type EngineMetrics } from './metrics.js';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { ExpectedVersionConflictError, appendToStream, type AppendResult } from './event-store/append.js';
import { deliver, type Delivered } from './notifications/deliver.js';
import { loadParties } from './notifications/directory.js';
import { renderNotification, storeNotifications, type MailIdentity, type NotificationToStore, type OutboxRow } from './notifications/outbox.js';
import { projectAgreement } from './projections/agreements.js';

export interface ActivityDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  mail: MailIdentity;
  log: Logger;
  /** The folder of holiday lists, one `<year>.json` per year. */
  holidaysDir: string;
  metrics?: EngineMetrics;
}

export interface AppendEventsInput {
  streamId: string;
  expectedVersion: number;
  events: RecordedEvent[];
  /** The agreement's view after these events, computed by the workflow with the pure `evolve`. */
  view: AgreementView;
  notifications: NotificationToStore[];
}

export function createActivities({ db, mailer, mail, log, holidaysDir, metrics }: ActivityDeps) {
  return {
    async appendEvents(input: AppendEventsInput): Promise<AppendResult> {
      const { streamId, expectedVersion, events, view, notifications } = input;
      let rows: OutboxRow[] = [];
      if (notifications.length > 0) {
        const partyIds = notifications.flatMap((n) => [...n.to.partyIds, ...(n.cc?.partyIds ?? [])]);
        const parties = await loadParties(db, [...partyIds, ...view.parties.map((p) => p.partyId)]);
        const stamp = events[0]?.meta.occurredAt ?? view.updatedAt;
        rows = notifications.map((n) => renderNotification(n, view, parties, mail, stamp)).filter((r): r is OutboxRow => r !== null);
      }
      try {
        const result = await appendToStream(db, streamId, expectedVersion, events, [projectAgreement(view), ...(rows.length ? [storeNotifications(rows)] : [])]);
        log.info({ agreementId: streamId, workflowId: events[0]?.meta.workflowId, version: result.version, types: events.map((e) => e.type), alreadyStored: result.alreadyStored }, 'events appended');
        if (!result.alreadyStored) countAppended(metrics, events.map((e) => e.type));
        return result;
      } catch (err) {
        if (err instanceof ExpectedVersionConflictError) {
          throw ApplicationFailure.create({ type: 'ExpectedVersionConflict', message: err.message, nonRetryable: true });
        }
        throw err;
      }
    },

    async loadWorkingCalendar(): Promise<CalendarData> {
      return loadHolidayLists(holidaysDir, log);
    },

    async deliverNotification(notificationId: string): Promise<Delivered | null> {
      return deliver(db, mailer, mail.from, log, notificationId, metrics);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
