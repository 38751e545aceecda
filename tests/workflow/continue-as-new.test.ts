// A long-lived agreement continues as new: state and pending deadlines cross the boundary, nothing lost or sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localInstant } from '../../domain/dates.js';
import { workflowIdFor } from '../../workflows/messages.js';
import { startStack, type Stack } from '../support/stack.js';
import { harness } from '../support/workflow-harness.js';

let stack: Stack;
const h = harness(() => stack);
beforeAll(async () => {
  stack = await startStack({ timeSkipping: true });
  for (const id of ['upt-a', 'pemda-b']) await h.party(id);
});
afterAll(async () => stack?.stop());

/** The run ids of one workflow id, first to last, following each continue-as-new. */
async function runChain(agreementId: string, firstRunId: string): Promise<string[]> {
  const chain = [firstRunId];
  for (;;) {
    const history = await stack.env.client.workflow.getHandle(workflowIdFor(agreementId), chain.at(-1)).fetchHistory();
    const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return chain;
    chain.push(next);
  }
}

describe('continue-as-new', () => {
  it('crosses the history bound twice, carrying state and pending timers, sending every e-mail once', async () => {
    const a = await h.start({ historyLimit: 250 });
    const today = await h.today();
    const FOLLOW_UPS = 24;
    const ids: string[] = [];
    for (let i = 0; i < FOLLOW_UPS; i++) {
      const view = await a.run('openFollowUp', {
        title: `Rencana kerja ${i + 1}`,
        ownerPartyId: 'pemda-b',
        due: addDays(today, 20 + i),
        kind: 'work_plan',
      });
      ids.push(view.followUps.at(-1)!.id);
      if (i === 5) await a.run('completeFollowUp', { followUpId: ids[0] });
    }
    await h.settled(a.agreementId);
    // Every due date passes: reminders, level 1 and level 2 for all but the completed one.
    await h.sleepUntil(localInstant(addDays(today, 20 + FOLLOW_UPS + 20), 'Asia/Jakarta', 9));
    await h.settled(a.agreementId);

    const runs = await runChain(a.agreementId, a.handle.firstExecutionRunId);
    expect(runs.length).toBeGreaterThanOrEqual(3);

    const view = await h.view(a.agreementId);
    expect(view.followUps).toHaveLength(FOLLOW_UPS);
    expect(view.followUps[0]).toMatchObject({ status: 'done', escalationLevel: 0 });
    for (const f of view.followUps.slice(1)) {
      expect(f).toMatchObject({ status: 'open', escalationLevel: 2 });
      expect(f.escalations.every((e) => e.sentAt)).toBe(true);
    }
    const events = await h.events(a.agreementId);
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const escalated = events
      .filter((e) => e.type === 'FollowUpEscalated')
      .map((e) => `${(e.data as { followUpId: string }).followUpId}:${(e.data as { level: number }).level}`);
    expect(escalated).toHaveLength((FOLLOW_UPS - 1) * 2);
    expect(new Set(escalated).size).toBe(escalated.length);

    // Each e-mail reached the SMTP server exactly once.
    const mails = await h.mails(a.agreementId);
    const notifications = await stack.database.db
      .selectFrom('notifications')
      .select('message_id')
      .where('agreement_id', '=', a.agreementId)
      .execute();
    expect(mails.map((m) => m.messageId).sort()).toEqual(notifications.map((n) => n.message_id).sort());
    expect(mails.filter((m) => m.template === 'follow_up_escalation')).toHaveLength((FOLLOW_UPS - 1) * 2);

    // The live workflow still answers with the same state.
    expect(
      (
        await a.run('openFollowUp', {
          title: 'Setelah dua kali',
          ownerPartyId: 'pemda-b',
          due: addDays(await h.today(), 30),
        })
      ).followUps,
    ).toHaveLength(FOLLOW_UPS + 1);
  });
});
