// `sinergi recover`: every agreement not ended whose workflow is missing or closed on the Temporal cluster this
// process points at is started again from its events. The events in Sinergi's PostgreSQL are the truth; the run is
// rebuilt from them: the state folded by the same `evolve`, its timers planned again by the same domain rules at
// the next turn of the workflow (a timer that fell due meanwhile fires once), and the e-mails recorded but not yet
// sent queued in their order (those already sent are never sent again). Running it twice does nothing the second
// time: a running workflow is left alone.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { readStream, toRecordedEvent } from '../activities/event-store/read.js';
import { EMPTY_CALENDAR } from '../domain/calendar.js';
import type { Actor, CommandOf } from '../domain/commands.js';
import { fold } from '../domain/evolve.js';
import type { Database } from '../schema/database.js';
import { TASK_QUEUE, workflowIdFor, type AgreementWorkflowInput } from '../workflows/messages.js';

export interface Recovery {
  agreementId: string;
  /** `started`: its run was missing or closed and is running again; `running`: left alone. */
  outcome: 'started' | 'running';
  /** E-mails recorded and not yet sent, queued again. */
  mailQueued: number;
}

const RECOVERY: Actor = { kind: 'system', id: 'recover' };

/** Whether the cluster runs this agreement's workflow now. */
async function isRunning(client: Client, agreementId: string): Promise<boolean> {
  try {
    const described = await client.workflow.getHandle(workflowIdFor(agreementId)).describe();
    return described.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** One agreement: started again from its events unless its workflow runs. */
export async function recoverAgreement(db: Kysely<Database>, client: Client, agreementId: string): Promise<Recovery> {
  if (await isRunning(client, agreementId)) return { agreementId, outcome: 'running', mailQueued: 0 };
  const rows = await readStream(db, agreementId);
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
  await client.workflow.start('agreementWorkflow', {
    workflowId: workflowIdFor(agreementId),
    taskQueue: TASK_QUEUE,
    args: [input],
    // A closed run of this id (terminated, or left from an old backup) may be followed by the recovered one.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return { agreementId, outcome: 'started', mailQueued: unsent.length };
}

/** The agreements not ended, oldest first: an umbrella before its PKS. */
export const openAgreements = (db: Kysely<Database>) =>
  db.selectFrom('agreements').select('id').where('stage', '!=', 'ended').orderBy('created_at').orderBy('id').execute();

/** Every agreement not ended, one line of log per agreement started. */
export async function recoverAgreements(db: Kysely<Database>, client: Client, log: Logger): Promise<Recovery[]> {
  const done: Recovery[] = [];
  for (const { id } of await openAgreements(db)) {
    const recovery = await recoverAgreement(db, client, id);
    if (recovery.outcome === 'started')
      log.info({ agreementId: id, mailQueued: recovery.mailQueued }, 'agreement workflow recovered from its events');
    done.push(recovery);
  }
  return done;
}
