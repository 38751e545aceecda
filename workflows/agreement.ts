// The lifecycle of one agreement, from the first audiensi to its end. Deterministic: no I/O, no clock but the workflow's.
import {
  ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler, uuid4, workflowInfo,
} from '@temporalio/workflow';
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

function asFailure(err: unknown): unknown {
  if (err instanceof CommandRejected) {
    const details: RejectionDetails = { code: err.code, ...(err.field ? { field: err.field } : {}) };
    return ApplicationFailure.create({ type: COMMAND_REJECTED, message: err.message, details: [details], nonRetryable: true });
  }
  return err;
}

/** Throws a refusal without touching state or drawing ids: validators are not replayed. */
function validate(state: AgreementState, request: CommandRequest): void {
  // Before the start is stored the handler waits for it (under the lock) and decides there.
  if (state.version === 0) return;
  try {
    decide(state, request.command, { now: new Date().toISOString(), newId: () => 'validation' });
  } catch (err) {
    throw asFailure(err);
  }
}

export async function agreementWorkflow(input: AgreementWorkflowInput): Promise<void> {
  const { workflowId } = workflowInfo();
  let state = initialState(input.agreementId);
  const outbox: string[] = [];
  const lock = new Lock();

  /** decide -> store events and their e-mails in one transaction -> evolve. Runs under the lock. */
  async function execute(command: Command, request: Omit<CommandRequest, 'command'>, updateId?: string): Promise<AgreementView> {
    const now = new Date().toISOString();
    let decided: DomainEvent[];
    try {
      decided = decide(state, command, { now, newId: uuid4 });
    } catch (err) {
      throw asFailure(err);
    }
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
    outbox.push(...notifications.map((n) => n.id));
    return toView(state);
  }

  for (const name of UPDATE_COMMANDS) {
    setHandler(
      commandUpdates[name],
      (request: CommandRequest) => lock.run(() => execute(request.command, request)),
      { validator: (request: CommandRequest) => validate(state, request) },
    );
  }
  setHandler(startedUpdate, async () => {
    await condition(() => state.version > 0);
    return toView(state);
  });
  setHandler(viewQuery, () => toView(state));

  await lock.run(() => execute(input.start, { actor: input.actor }));

  // Deliver e-mails after their events are stored, so a slow SMTP server never slows a command.
  for (;;) {
    await condition(() => outbox.length > 0 || state.stage === 'ended');
    const notificationId = outbox[0];
    if (notificationId === undefined) break;
    const sent = await deliverNotification(notificationId);
    if (sent) {
      await lock.run(() =>
        record([{ type: 'NotificationSent', data: { notificationId, ...sent } }], { kind: 'system', id: 'mailer' }, new Date().toISOString()),
      );
    }
    outbox.shift();
  }
  await condition(allHandlersFinished);
}
