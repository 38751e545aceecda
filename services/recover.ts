// `sinergi recover`: every agreement not ended whose workflow is missing or closed on the Temporal cluster this
// process points at is started again from its events. The events in Sinergi's PostgreSQL are the truth; the run is
// rebuilt from them: the state folded by the same `evolve`, its timers planned again by the same domain rules at
// the next turn of the workflow (a timer that fell due meanwhile fires once), and the e-mails recorded but not yet
// sent queued in their order (those already sent are never sent again). A workflow that runs but holds another
// version of the agreement than its events (Temporal restored from an old backup, or Sinergi's database restored
// from an older dump) is stale: it is terminated and started again the same way. Running it twice does nothing the
// second time: a running workflow at the events' version is left alone.
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { readStream, toRecordedEvent } from '../activities/event-store/read.js';
import { EMPTY_CALENDAR } from '../domain/calendar.js';
import type { Actor, CommandOf } from '../domain/commands.js';
import { fold } from '../domain/evolve.js';
import type { Database } from '../schema/database.js';
import {
  TASK_QUEUE,
  umbrellaEndedSignal,
  viewQuery,
  workflowIdFor,
  type AgreementWorkflowInput,
} from '../workflows/messages.js';

export interface Recovery {
  agreementId: string;
  /**
   * `started`: its run was missing or closed and is running again; `replaced`: its run was stale and runs again
   * from the events; `running`: left alone.
   */
  outcome: 'started' | 'replaced' | 'running';
  /** For `replaced`: the version the stale run held, against the events'. */
  staleVersion?: { workflow: number; events: number };
  /** E-mails recorded and not yet sent, queued again. */
  mailQueued: number;
}

const RECOVERY: Actor = { kind: 'system', id: 'recover' };

/** The version of the agreement the cluster's running workflow holds; undefined when none runs. */
async function runningVersion(client: Client, agreementId: string): Promise<number | undefined> {
  const handle = client.workflow.getHandle(workflowIdFor(agreementId));
  try {
    if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
    return (await handle.query(viewQuery)).version;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

// A command in flight has its event appended before the workflow's state moves on: a difference is stale only if
// it lasts.
const SETTLE_MS = 2000;

/** One agreement: started again from its events unless its workflow runs. */
export async function recoverAgreement(db: Kysely<Database>, client: Client, agreementId: string): Promise<Recovery> {
  let rows = await readStream(db, agreementId);
  const eventsVersion = () => rows.at(-1)?.version ?? 0;
  let running = await runningVersion(client, agreementId);
  if (running !== undefined && running !== eventsVersion()) {
    await sleep(SETTLE_MS);
    rows = await readStream(db, agreementId);
    running = await runningVersion(client, agreementId);
  }
  if (running === eventsVersion()) return { agreementId, outcome: 'running', mailQueued: 0 };
  if (running !== undefined)
    await client.workflow
      .getHandle(workflowIdFor(agreementId))
      .terminate(`stale: the workflow at version ${running}, the events at ${eventsVersion()}; recovered from them`);
  const state = fold(agreementId, rows.map(toRecordedEvent));
  const first = rows[0] ? toRecordedEvent(rows[0]) : undefined;
  if (!first || first.type !== 'AgreementStarted') throw new Error(`agreement ${agreementId} has no start event`);
  const { agreementId: _id, ...terms } = first.data;
  // Only for the input's shape: a carried run never executes its start again.
  const start: CommandOf<'startAgreement'> = { type: 'startAgreement', ...terms };
  const unsent = await db
    .selectFrom('notifications')
    .select('id')
    .where('agreement_id', '=', agreementId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const input: AgreementWorkflowInput = {
    agreementId,
    start,
    actor: RECOVERY,
    carried: { state, calendar: EMPTY_CALENDAR, childrenTold: [], recovered: { outbox: unsent.map((n) => n.id) } },
  };
  const options = {
    workflowId: workflowIdFor(agreementId),
    taskQueue: TASK_QUEUE,
    args: [input] as [AgreementWorkflowInput],
    // A closed run of this id (terminated, or left from an old backup) may be followed by the recovered one.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
  };
  // A PKS whose umbrella ended while it was not running would never be told: it is told as it starts.
  const umbrella = state.parentId
    ? fold(state.parentId, (await readStream(db, state.parentId)).map(toRecordedEvent))
    : undefined;
  if (umbrella?.stage === 'ended')
    await client.workflow.signalWithStart('agreementWorkflow', {
      ...options,
      signal: umbrellaEndedSignal,
      signalArgs: [{ umbrellaId: umbrella.id, reason: umbrella.endReason ?? 'terminated' }],
    });
  else await client.workflow.start('agreementWorkflow', options);
  const outcome = running === undefined ? 'started' : 'replaced';
  return {
    agreementId,
    outcome,
    mailQueued: unsent.length,
    ...(running === undefined ? {} : { staleVersion: { workflow: running, events: eventsVersion() } }),
  };
}

/** The agreements not ended, oldest first: an umbrella before its PKS. */
export const openAgreements = (db: Kysely<Database>) =>
  db.selectFrom('agreements').select('id').where('stage', '!=', 'ended').orderBy('created_at').orderBy('id').execute();

/** Every agreement not ended, one line of log per agreement started. */
export async function recoverAgreements(db: Kysely<Database>, client: Client, log: Logger): Promise<Recovery[]> {
  const done: Recovery[] = [];
  for (const { id } of await openAgreements(db)) {
    const recovery = await recoverAgreement(db, client, id);
    if (recovery.outcome !== 'running')
      log.info(
        { agreementId: id, outcome: recovery.outcome, mailQueued: recovery.mailQueued },
        'agreement workflow recovered from its events',
      );
    done.push(recovery);
  }
  return done;
}
