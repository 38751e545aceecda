// The lifecycle of one agreement, from the first audiensi to its end. Deterministic: no I/O, no clock but the workflow's.
import {
  ApplicationFailure, allHandlersFinished, condition, log, proxyActivities, proxyLocalActivities, setHandler, uuid4, workflowInfo,
} from '@temporalio/workflow';
import { EMPTY_CALENDAR, WorkingCalendar, type CalendarData } from '../domain/calendar.js';
import { nextAlarmAt } from '../domain/deadlines.js';
import type { NotificationIntent } from '../domain/notifications.js';
import type { Activities } from '../activities/index.js';
import type { Command } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import type { DomainEvent, RecordedEvent } from '../domain/events.js';
import { evolve, initialState } from '../domain/evolve.js';
import { notificationsFor } from '../domain/notifications.js';
import { CommandRejected } from '../domain/rejection.js';
import type { AgreementState } from '../domain/types.js';
import { toView, type AgreementView } from '../domain/view.js';
import { Lock } from './lock.js';
import {
  COMMAND_REJECTED, UPDATE_COMMANDS, commandUpdates, startedUpdate, viewQuery,
  type AgreementWorkflowInput, type CommandRequest, type RejectionDetails,
} from './messages.js';

const { appendEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['ExpectedVersionConflict'] },
});

// While SMTP is down the send is retried with backoff, without limit: an e-mail is delayed, never dropped.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// The holiday lists are data an operator edits; they are read again before each command that plans dates.
const { loadWorkingCalendar } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });
const PLANNING_COMMANDS = new Set<Command['type']>(['recordMinutes', 'openFollowUp', 'rescheduleFollowUp', 'submitDraft']);
const SYSTEM = { kind: 'system' as const, id: 'engine' };

function asFailure(err: unknown): unknown {
  if (err instanceof CommandRejected) {
    const details: RejectionDetails = { code: err.code, ...(err.field ? { field: err.field } : {}) };
    return ApplicationFailure.create({ type: COMMAND_REJECTED, message: err.message, details: [details], nonRetryable: true });
  }
  return err;
}

/** Throws a refusal without touching state or drawing ids: validators are not replayed. */
function validate(state: AgreementState, calendar: CalendarData, request: CommandRequest): void {
  // Before the start is stored the handler waits for it (under the lock) and decides there.
  if (state.version === 0) return;
  if (request.command.type === 'fireDeadlines') throw ApplicationFailure.create({ type: COMMAND_REJECTED, message: 'fireDeadlines is the engine\'s own command', nonRetryable: true });
  try {
    decide(state, request.command, { now: new Date().toISOString(), newId: () => 'validation', calendar: new WorkingCalendar(calendar) });
  } catch (err) {
    throw asFailure(err);
  }
}

export async function agreementWorkflow(input: AgreementWorkflowInput): Promise<void> {
  const { workflowId } = workflowInfo();
  let state = initialState(input.agreementId);
  let calendarData: CalendarData = EMPTY_CALENDAR;
  const outbox: { id: string; ref?: NotificationIntent['ref'] }[] = [];
  const lock = new Lock();

  /** decide -> store events and their e-mails in one transaction -> evolve. Runs under the lock. */
  async function execute(command: Command, request: Omit<CommandRequest, 'command'>, updateId?: string): Promise<AgreementView> {
    if (PLANNING_COMMANDS.has(command.type)) calendarData = await loadWorkingCalendar();
    const calendar = new WorkingCalendar(calendarData);
    const now = new Date().toISOString();
    let decided: DomainEvent[];
    try {
      decided = decide(state, command, { now, newId: uuid4, calendar });
    } catch (err) {
      throw asFailure(err);
    }
    if (calendar.uncoveredYears.size > 0) {
      log.warn('no holiday list for these years: dates counted with weekends only; add config/holidays/<year>.json', {
        agreementId: state.id,
        years: [...calendar.uncoveredYears],
      });
    }
    if (decided.length === 0) return toView(state);
    return record(decided, request.actor, now, updateId);
  }

  async function record(decided: DomainEvent[], actor: CommandRequest['actor'], now: string, updateId?: string): Promise<AgreementView> {
    const events: RecordedEvent[] = decided.map((e) => ({
      ...e,
      id: uuid4(),
      meta: { actor, occurredAt: now, workflowId, ...(updateId ? { updateId } : {}) },
    }));
    const next = events.reduce(evolve, state);
    const notifications = notificationsFor(next, decided).map((intent) => ({ ...intent, id: uuid4() }));
    await appendEvents({ streamId: state.id, expectedVersion: state.version, events, view: toView(next), notifications });
    state = next;
    outbox.push(...notifications.map((n) => ({ id: n.id, ...(n.ref ? { ref: n.ref } : {}) })));
    return toView(state);
  }

  for (const name of UPDATE_COMMANDS) {
    setHandler(
      commandUpdates[name],
      (request: CommandRequest) => lock.run(() => execute(request.command, request)),
      { validator: (request: CommandRequest) => validate(state, calendarData, request) },
    );
  }
  setHandler(startedUpdate, async () => {
    await condition(() => state.version > 0);
    return toView(state);
  });
  setHandler(viewQuery, () => toView(state));

  await lock.run(() => execute(input.start, { actor: input.actor }));

  // The engine's loop: deliver e-mails after their events are stored (a slow SMTP server never slows a command),
  // and sleep until the next reminder or escalation; any change to the agreement wakes it to plan again.
  for (;;) {
    const next = nextAlarmAt(state);
    const wait = next === undefined ? undefined : Date.parse(next) - Date.now();
    if (wait === undefined || wait > 0) {
      const seen = state.version;
      await condition(() => outbox.length > 0 || state.stage === 'ended' || state.version !== seen, wait);
    }
    const mail = outbox[0];
    if (mail) {
      const sent = await deliverNotification(mail.id);
      if (sent) {
        await lock.run(() =>
          record([{ type: 'NotificationSent', data: { notificationId: mail.id, ...sent, ...(mail.ref ? { followUpId: mail.ref.followUpId, level: mail.ref.level } : {}) } }], { kind: 'system', id: 'mailer' }, new Date().toISOString()),
        );
      }
      outbox.shift();
      continue;
    }
    if (state.stage === 'ended') break;
    if (next !== undefined && Date.now() >= Date.parse(next)) await lock.run(() => execute({ type: 'fireDeadlines' }, { actor: SYSTEM }));
  }
  await condition(allHandlersFinished);
}
