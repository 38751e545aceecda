// The operator's way to free an agreement whose command is stuck: see what its workflow is retrying, then release
// the append so the command is refused and the agreement takes commands again.
import type { Client } from '@temporalio/client';
import { releaseStuckCommandSignal, workflowIdFor } from '../workflows/messages.js';

export interface PendingActivity {
  activity: string;
  attempt: number;
  state: string;
  lastFailure?: string;
}

/** What the agreement's workflow is waiting on right now. */
export async function pendingActivities(client: Client, agreementId: string): Promise<PendingActivity[]> {
  const described = await client.workflow.getHandle(workflowIdFor(agreementId)).describe();
  return (described.raw.pendingActivities ?? []).map((a) => ({
    activity: a.activityType?.name ?? '?',
    attempt: a.attempt ?? 0,
    state: String(a.state ?? '?'),
    ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
  }));
}

/** Cancels the append under way; returns once the workflow no longer waits on it (or after `timeoutMs`). */
export async function releaseStuckCommand(
  client: Client,
  agreementId: string,
  timeoutMs = 20_000,
): Promise<PendingActivity[]> {
  await client.workflow.getHandle(workflowIdFor(agreementId)).signal(releaseStuckCommandSignal);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pending = (await pendingActivities(client, agreementId)).filter((a) => a.activity === 'appendEvents');
    if (pending.length === 0 || Date.now() > until) return pending;
    await new Promise((r) => setTimeout(r, 250));
  }
}
