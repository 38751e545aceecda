// The lifecycle of one agreement, from the first audiensi to its end. Deterministic: no I/O, no clock but the
// workflow's.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { AppendResult } from '../activities/event-store/append.js';
import { DATA_REJECTED, NUMBER_TAKEN } from '../activities/failure-types.js';
import type { Activities } from '../activities/index.js';
import type { SentNow } from '../activities/notifications/receipts.js';
import { EMPTY_CALENDAR, WorkingCalendar, type CalendarData } from '../domain/calendar.js';
import type { Actor, Command } from '../domain/commands.js';
import { nextAlarmAt } from '../domain/deadlines.js';
import { decide } from '../domain/decide.js';
import type { DomainEvent, RecordedEvent } from '../domain/events.js';
import { evolve, initialState } from '../domain/evolve.js';
import { withTakenNumbers } from '../domain/numbering.js';
import { notificationsFor, type NotificationIntent } from '../domain/notifications.js';
import { CommandRejected } from '../domain/rejection.js';
import type { AgreementState } from '../domain/types.js';
import { toView, type AgreementView } from '../domain/view.js';
import { Lock } from './lock.js';
import { publishSearchAttributes } from './search-attributes.js';
import {
  COMMAND_REJECTED,
  UPDATE_COMMANDS,
  commandUpdates,
  releaseStuckCommandSignal,
  startedUpdate,
  umbrellaEndedSignal,
  viewQuery,
  workflowIdFor,
  type AgreementWorkflowInput,
  type CarriedState,
  type CommandRequest,
  type RejectionDetails,
} from './messages.js';

// Retried without limit for what time can fix; what it cannot (DataRejected) fails at once. An operator's release
// cancels it, waiting for an attempt in flight, so a stored append is never mistaken for a refused one.
const APPEND: ActivityOptions & LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 ms',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['ExpectedVersionConflict', DATA_REJECTED, NUMBER_TAKEN],
  },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};
const { appendEvents } = proxyActivities<Activities>(APPEND);
// The engine's step that also sends: a send started within SEND_NOW_BUDGET_MS may take nodemailer's timeouts.
const { appendEventsAndSend } = proxyActivities<Activities>({ ...APPEND, startToCloseTimeout: '2 minutes' });
/** Sends start only this long after a reminder step's events are stored: the agreement's lock is held meanwhile. */
const SEND_NOW_BUDGET_MS = 5_000;

// While SMTP is down the send is retried with backoff, without limit: an e-mail is delayed, never dropped.
const MAIL_RETRY: RetryPolicy = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' };
const { deliverNotification } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: MAIL_RETRY });

// The queued e-mails go out up to MAIL_BATCH in one activity, their receipts recorded in one append.
const { deliverNotifications } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: MAIL_RETRY });
// Runs recorded under ENGINE_LOCAL_PATCH replay with the engine's steps as local activities, as they ran. New runs
// do not use them: a local activity that outlives its workflow task (SMTP down) or fails onto a backoff timer while
// a person's command is handled replays in another order than it ran, and the run fails on nondeterminism.
const engineLocal = proxyLocalActivities<Activities>({ ...APPEND, localRetryThreshold: '10 seconds' });
const mailLocal = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  localRetryThreshold: '10 seconds',
  retry: MAIL_RETRY,
});
/** At most this many e-mails in one delivery (its result stays small). */
const MAIL_BATCH = 10;

// The holiday lists are data an operator edits; they are read again before each command that plans dates.
const { loadWorkingCalendar } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });
const PLANNING_COMMANDS = new Set<Command['type']>([
  'startAgreement',
  'recordMinutes',
  'openFollowUp',
  'rescheduleFollowUp',
  'submitDraft',
]);
const ENGINE_COMMANDS = new Set<Command['type']>(['fireDeadlines', 'endWithUmbrella', 'startAgreement']);
const SYSTEM: Actor = { kind: 'system', id: 'engine' };
const MAILER: Actor = { kind: 'system', id: 'mailer' };

/** Temporal warns at 10k events and refuses at 50k; a run this long also replays slowly after a worker restart. */
export const DEFAULT_HISTORY_LIMIT = 10_000;
export const REVIEW_REQUEST_PER_PARTY_PATCH = 'review-request-per-party';
export const RELEASABLE_APPEND_PATCH = 'releasable-append';
export const CALL_OFF_AHEAD_PATCH = 'call-off-ahead-on-end';
/** A request for changes e-mails the initiator (one more e-mail, so one more activity). */
export const CHANGES_REQUESTED_MAIL_PATCH = 'changes-requested-mail';
/** Past due dates, minutes of meetings ahead and the level-2 interval (issue 34): runs recorded before replay as they
 * ran. */
export const DATE_RULES_PATCH = 'date-rules';
/** A request for changes without a note is refused (it was once refused only on the e-mail link page). */
export const CHANGE_NOTE_PATCH = 'change-note-required';
/** The engine's own steps as local activities, the outbox sent in batches of MAIL_BATCH with one receipt append
 * each (issue 33): markers instead of activity tasks. */
export const ENGINE_LOCAL_PATCH = 'engine-local-activities';
/** The engine's steps as activities again, the outbox still in batches: see engineLocal. */
export const ENGINE_ACTIVITIES_PATCH = 'engine-activities';

/** Reminders and escalations go out in the activity that stores them, receipts stored after (issue 33): one
 * activity per agreement at 08:00 instead of three. */
export const FIRE_SENDS_PATCH = 'fire-sends-mail';

/** How this run's engine steps go: batched activities now; local activities or one e-mail each as runs recorded. */
type EngineSteps = 'batched' | 'local' | 'one-by-one';
const engineSteps = (): EngineSteps =>
  patched(ENGINE_ACTIVITIES_PATCH) ? 'batched' : patched(ENGINE_LOCAL_PATCH) ? 'local' : 'one-by-one';

function rejection(code: string, message: string, field?: string): ApplicationFailure {
  const details: RejectionDetails = { code, ...(field ? { field } : {}) };
  return ApplicationFailure.create({ type: COMMAND_REJECTED, message, details: [details], nonRetryable: true });
}

function asFailure(err: unknown): unknown {
  if (err instanceof CommandRejected) return rejection(err.code, err.message, err.field);
  return err;
}

function released(): ApplicationFailure {
  return rejection(
    'released',
    'Perintah ini dihentikan oleh operator karena penyimpanan tidak kunjung berhasil; tidak ada yang tersimpan.',
  );
}

/** An append that will never succeed, or that an operator released, refuses the command; nothing was stored. */
function appendRefusal(err: unknown): ApplicationFailure | undefined {
  // A release between two attempts cancels the activity before it is scheduled again: the failure is then the
  // scope's own CancelledFailure, not an ActivityFailure around one. Either way it is the operator's release.
  if (isCancellation(err)) return released();
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === NUMBER_TAKEN) {
    return rejection('number_taken', cause.message, `documentNumbers.${String(cause.details?.[0] ?? '')}`);
  }
  if (cause instanceof ApplicationFailure && cause.type === DATA_REJECTED) {
    return rejection('data_rejected', `Data ditolak oleh basis data (${cause.message}); tidak ada yang tersimpan.`);
  }
  return undefined;
}

/** Throws a refusal without touching state or drawing ids: validators are not replayed. */
function validate(state: AgreementState, calendar: CalendarData, request: CommandRequest): void {
  // Before the start is stored the handler waits for it (under the lock) and decides there.
  if (state.version === 0) return;
  if (ENGINE_COMMANDS.has(request.command.type)) {
    throw ApplicationFailure.create({
      type: COMMAND_REJECTED,
      message: `${request.command.type} is the engine's own command`,
      nonRetryable: true,
    });
  }
  try {
    decide(state, request.command, {
      now: new Date().toISOString(),
      newId: () => 'validation',
      calendar: new WorkingCalendar(calendar),
    });
  } catch (err) {
    throw asFailure(err);
  }
}

export async function agreementWorkflow(input: AgreementWorkflowInput): Promise<void> {
  const { workflowId } = workflowInfo();
  const carried = input.carried;
  let state = carried?.state ?? initialState(input.agreementId);
  let calendarData: CalendarData = carried?.calendar ?? EMPTY_CALENDAR;
  const childrenTold = new Set(carried?.childrenTold ?? []);
  let umbrellaEnded = carried?.umbrellaEnded;
  // A recovered run sends what its lost predecessor had recorded and not yet sent.
  const outbox: { id: string; ref?: NotificationIntent['ref'] }[] = (carried?.recovered?.outbox ?? []).map((id) => ({
    id,
  }));
  const lock = new Lock();
  // The append under way, if any: an operator's release cancels it (see the CLI's `agreements release`).
  let appending: CancellationScope | undefined;
  // A run continued as new inherits the attributes its predecessor published.
  let publishedStage: string | undefined = carried && !carried.recovered ? carried.state.stage : undefined;

  /** decide -> store events and their e-mails in one transaction -> evolve. Runs under the lock. */
  async function execute(command: Command, actor: Actor, updateId?: string): Promise<AgreementView> {
    if (PLANNING_COMMANDS.has(command.type)) calendarData = await loadWorkingCalendar();
    const calendar = new WorkingCalendar(calendarData);
    const now = new Date().toISOString();
    let decided: DomainEvent[];
    try {
      // Calling off what is ahead when an agreement ends adds events (and e-mails) older runs did not: patched.
      decided = decide(state, command, {
        now,
        newId: uuid4,
        calendar,
        callsOffWhatIsAhead: () => patched(CALL_OFF_AHEAD_PATCH),
        checksDates: () => patched(DATE_RULES_PATCH),
        checksChangeNotes: () => patched(CHANGE_NOTE_PATCH),
      });
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
    const steps = command.type === 'fireDeadlines' ? engineSteps() : undefined;
    await record(
      decided,
      actor,
      now,
      updateId,
      steps === 'local' ? 'local' : steps === 'batched' ? 'sending' : 'plain',
    );
    await startAgreementsFrom(command, decided, actor);
    return toView(state);
  }

  /** How an append runs: an activity, a local activity (runs recorded so), or an activity that also sends. */
  type AppendStep = 'plain' | 'local' | 'sending';

  async function record(
    decided: DomainEvent[],
    actor: Actor,
    now: string,
    updateId?: string,
    step: AppendStep = 'plain',
  ): Promise<void> {
    let events: RecordedEvent[] = decided.map((e) => ({
      ...e,
      id: uuid4(),
      meta: { actor, occurredAt: now, workflowId, ...(updateId ? { updateId } : {}) },
    }));
    let next = events.reduce(evolve, state);
    // Sending review requests per party changed which e-mails (so which activities) a run produces: patched.
    const reviewRequestPerParty = decided.some((e) => e.type === 'DraftSubmitted')
      ? patched(REVIEW_REQUEST_PER_PARTY_PATCH)
      : true;
    const asksChanges = decided.some((e) => e.type === 'DraftReviewed' && e.data.decision === 'request_changes');
    const changesRequestedMail = asksChanges ? patched(CHANGES_REQUESTED_MAIL_PATCH) : true;
    const notifications = notificationsFor(next, decided, { reviewRequestPerParty, changesRequestedMail }).map(
      (intent) => ({ ...intent, id: uuid4() }),
    );
    // The activity folds the view itself from the stored one: the history carries only what is new.
    const input = { streamId: state.id, expectedVersion: state.version, events, notifications };
    let result: AppendResult;
    let sent: SentNow | undefined;
    if (step === 'sending' && notifications.length > 0 && patched(FIRE_SENDS_PATCH)) {
      const mails = notifications.slice(0, MAIL_BATCH).map((n) => ({
        notificationId: n.id,
        receiptId: uuid4(),
        ...(n.ref ? { ref: { followUpId: n.ref.followUpId, level: n.ref.level } } : {}),
      }));
      const sendNow = { mails, meta: { actor: MAILER, occurredAt: now, workflowId }, budgetMs: SEND_NOW_BUDGET_MS };
      result = sent = await releasableAppend({ ...input, sendNow }, appendEventsAndSend);
    } else if (patched(RELEASABLE_APPEND_PATCH)) {
      // The releasable append awaits through a cancellation scope, which moves later commands: patched.
      result = await releasableAppend(input, step === 'local' ? engineLocal.appendEvents : appendEvents);
    } else {
      result = await appendEvents(input);
    }
    // Numbers taken from the parties' templates are known only once stored: the state takes the stored events.
    const taken = result.numbers;
    if (taken) {
      events = events.map((e) => withTakenNumbers(e, taken));
      next = events.reduce(evolve, state);
    }
    // The e-mails sent with the step have their receipts stored after its events; the rest are queued.
    state = (sent?.receipts ?? []).reduce(evolve, next);
    const handled = new Set(sent?.handled);
    const queued = notifications.filter((n) => !handled.has(n.id));
    outbox.push(...queued.map((n) => ({ id: n.id, ...(n.ref ? { ref: n.ref } : {}) })));
    publishedStage = publishSearchAttributes(state, publishedStage);
  }

  async function releasableAppend<I, R>(input: I, append: (input: I) => Promise<R>): Promise<R> {
    const scope = new CancellationScope();
    appending = scope;
    try {
      return await scope.run(() => append(input));
    } catch (err) {
      // A release during an attempt waits for it; its failure then carries the attempt's error, not a cancellation.
      throw appendRefusal(err) ?? (scope.consideredCancelled ? released() : err);
    } finally {
      appending = undefined;
    }
  }

  /** Operational agreements and renewals are agreements of their own, each its own workflow. */
  async function startAgreementsFrom(command: Command, decided: DomainEvent[], actor: Actor): Promise<void> {
    const initiator = state.parties.find((p) => p.role === 'initiator')!;
    const children: AgreementWorkflowInput[] = [];
    for (const event of decided) {
      let child: AgreementWorkflowInput | undefined;
      const asked =
        event.type !== 'OperationalAgreementStarted'
          ? undefined
          : command.type === 'startOperationalAgreement'
            ? command
            : command.type === 'startOperationalAgreements'
              ? command.items.find((i) => i.childId === event.data.childId)
              : undefined;
      if (event.type === 'OperationalAgreementStarted' && asked) {
        child = {
          agreementId: event.data.childId,
          actor,
          start: {
            type: 'startAgreement',
            title: event.data.title,
            instrument: 'perjanjian_kerja_sama',
            scope: event.data.scope,
            parties: asked.parties ?? [initiator, { ...asked.party, role: 'counterpart' }],
            termMonths: state.termMonths,
            policy: state.policy,
            parentId: state.id,
            ...(event.data.dueBy ? { dueBy: event.data.dueBy } : {}),
          },
        };
      }
      if (event.type === 'RenewalDecided' && event.data.successorId) {
        child = {
          agreementId: event.data.successorId,
          actor,
          start: {
            type: 'startAgreement',
            title: state.title,
            instrument: state.instrument,
            scope: state.scope,
            parties: state.parties,
            termMonths: event.data.termMonths ?? state.termMonths,
            policy: state.policy,
            renewalOf: state.id,
            startInDrafting: true,
            ...(state.parentId ? { parentId: state.parentId } : {}),
          },
        };
      }
      if (child) children.push(child);
    }
    // Abandoned on close: the umbrella's own end tells its children, and a renewal outlives its predecessor.
    // Many PKS in one step start together (the same commands, in the same order, as one after another).
    await Promise.all(
      children.map(async (child) => {
        await startChild(agreementWorkflow, {
          workflowId: workflowIdFor(child.agreementId),
          args: [child],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        log.info('agreement started by its umbrella or predecessor', {
          agreementId: state.id,
          started: child.agreementId,
        });
      }),
    );
  }

  // Queued before any handler exists: an update buffered with the start is dispatched as soon as its handler is
  // set, and must find the agreement started.
  const started = carried ? Promise.resolve() : lock.run(() => execute(input.start, input.actor)).then(() => undefined);

  for (const name of UPDATE_COMMANDS) {
    setHandler(
      commandUpdates[name],
      (request: CommandRequest) => lock.run(() => execute(request.command, request.actor)),
      { validator: (request: CommandRequest) => validate(state, calendarData, request) },
    );
  }
  setHandler(startedUpdate, async () => {
    await condition(() => state.version > 0);
    return toView(state);
  });
  setHandler(viewQuery, () => toView(state));
  setHandler(umbrellaEndedSignal, (signal) => {
    umbrellaEnded ??= signal;
  });
  setHandler(releaseStuckCommandSignal, () => {
    log.warn('operator released the append under way', { agreementId: state.id, appending: appending !== undefined });
    appending?.cancel();
  });

  /** Runs one of the engine's own steps; a refused append is logged, never allowed to fail the agreement's run. */
  async function engineStep(what: string, step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (err) {
      if (!(err instanceof ApplicationFailure && err.type === COMMAND_REJECTED)) throw err;
      log.error('engine step refused; the agreement goes on', {
        agreementId: state.id,
        step: what,
        error: err.message,
      });
      return false;
    }
  }

  await started;

  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const pastHistoryLimit = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;

  // The engine's loop: deliver e-mails after their events are stored (a slow SMTP server never slows a command),
  // sleep until the next reminder or escalation, and let any change to the agreement wake it to plan again.
  for (;;) {
    const next = nextAlarmAt(state);
    const wait = next === undefined ? undefined : Date.parse(next) - Date.now();
    const ended = () => state.stage === 'ended';
    const childrenToTell = () => (ended() ? state.operationalAgreements.filter((c) => !childrenTold.has(c.id)) : []);
    if (outbox.length === 0 && !ended() && pastHistoryLimit()) {
      // A quiet point: no e-mail queued. Timers need no hand-over: the next run plans them again from the state.
      await condition(allHandlersFinished);
      if (outbox.length === 0) {
        const handOver: CarriedState = {
          state,
          calendar: calendarData,
          childrenTold: [...childrenTold],
          ...(umbrellaEnded ? { umbrellaEnded } : {}),
        };
        log.info('continuing as new', { agreementId: state.id, historyLength: workflowInfo().historyLength });
        await continueAsNew<typeof agreementWorkflow>({ ...input, carried: handOver });
      }
      continue;
    }
    if (wait === undefined || wait > 0) {
      const seen = state.version;
      await condition(
        () => outbox.length > 0 || ended() || state.version !== seen || (umbrellaEnded !== undefined && !ended()),
        wait,
      );
    }
    const steps = outbox.length > 0 ? engineSteps() : undefined;
    if (steps === 'batched' || steps === 'local') {
      const batch = outbox.slice(0, MAIL_BATCH);
      const deliver = steps === 'local' ? mailLocal.deliverNotifications : deliverNotifications;
      const sent = await deliver(batch.map((m) => m.id));
      const receipts: DomainEvent[] = batch.flatMap((mail, i) => {
        const delivered = sent[i];
        if (!delivered) return [];
        const ref = mail.ref ? { followUpId: mail.ref.followUpId, level: mail.ref.level } : {};
        return [{ type: 'NotificationSent', data: { notificationId: mail.id, ...delivered, ...ref } }];
      });
      if (receipts.length > 0) {
        const how = steps === 'local' ? 'local' : 'plain';
        const receipt = () => record(receipts, MAILER, new Date().toISOString(), undefined, how);
        await engineStep('record e-mail receipts', () => lock.run(receipt));
      }
      outbox.splice(0, batch.length);
      continue;
    }
    const mail = outbox[0];
    if (mail) {
      const sent = await deliverNotification(mail.id);
      if (sent) {
        const data = {
          notificationId: mail.id,
          ...sent,
          ...(mail.ref ? { followUpId: mail.ref.followUpId, level: mail.ref.level } : {}),
        };
        const receipt = () => record([{ type: 'NotificationSent', data }], MAILER, new Date().toISOString());
        if (patched(RELEASABLE_APPEND_PATCH)) await engineStep('record e-mail receipt', () => lock.run(receipt));
        else await lock.run(receipt);
      }
      outbox.shift();
      continue;
    }
    if (umbrellaEnded && !ended()) {
      const { umbrellaId, reason } = umbrellaEnded;
      const before = state.version;
      const end = () =>
        lock.run(() => execute({ type: 'endWithUmbrella', umbrellaId, umbrellaReason: reason }, SYSTEM));
      if (!patched(RELEASABLE_APPEND_PATCH)) await end();
      else if (!(await engineStep('end with umbrella', end))) await condition(() => state.version !== before, '1 hour');
      continue;
    }
    if (ended()) {
      // A child is not allowed to outlive its umbrella: tell each one (a finished child simply ignores it).
      for (const child of childrenToTell()) {
        try {
          await getExternalWorkflowHandle(workflowIdFor(child.id)).signal(umbrellaEndedSignal, {
            umbrellaId: state.id,
            reason: state.endReason ?? 'terminated',
          });
        } catch (err) {
          log.info('operational agreement already closed', {
            agreementId: state.id,
            child: child.id,
            error: String(err),
          });
        }
        childrenTold.add(child.id);
      }
      break;
    }
    if (next !== undefined && Date.now() >= Date.parse(next)) {
      const before = state.version;
      const fire = () => lock.run(() => execute({ type: 'fireDeadlines' }, SYSTEM));
      // Not again at once: wait for a change to the agreement, or an hour.
      if (!patched(RELEASABLE_APPEND_PATCH)) await fire();
      else if (!(await engineStep('fire deadlines', fire))) await condition(() => state.version !== before, '1 hour');
    }
  }
  await condition(allHandlersFinished);
}
