// An update sent the moment an agreement's workflow starts (as the workflow client may) must find it started.
// On the dev server the start and the update can arrive in one workflow activation; the workflow queues the
// start before it registers its update handlers so that the update waits for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/types.js';
import { agreementWorkflow } from '../../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor } from '../../workflows/messages.js';
import { registerParty } from '../support/lifecycle.js';
import { http, startStack, type Stack } from '../support/stack.js';
import { dates } from '../support/test-dates.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await registerParty(http(stack.baseUrl), { id: 'upt-r', name: 'UPT', kind: 'upt' });
  await registerParty(http(stack.baseUrl), { id: 'pemda-r', name: 'Pemda', kind: 'pemda' });
});
afterAll(async () => stack?.stop());

const actor = { kind: 'token' as const, id: 'test' };

describe('an update racing the start', () => {
  it('is decided after the start, never against an empty agreement', async () => {
    const views = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const id = `race-${i}`;
        const handle = await stack.env.client.workflow.start(agreementWorkflow, {
          workflowId: workflowIdFor(id),
          taskQueue: TASK_QUEUE,
          args: [
            {
              agreementId: id,
              actor,
              start: {
                type: 'startAgreement',
                title: id,
                instrument: 'nota_kesepahaman',
                scope: [],
                termMonths: 60,
                policy: DEFAULT_POLICY,
                parties: [
                  { partyId: 'upt-r', role: 'initiator', timeZone: 'Asia/Jakarta' },
                  { partyId: 'pemda-r', role: 'counterpart', timeZone: 'Asia/Jakarta' },
                ],
              },
            },
          ],
        });
        return handle.executeUpdate(commandUpdates.scheduleMeeting, {
          args: [
            {
              actor,
              command: {
                type: 'scheduleMeeting',
                kind: 'audiensi',
                at: dates.at(dates.workingDays(5)),
                venue: 'Setda',
              },
            },
          ],
        });
      }),
    );
    expect(views.map((v) => [v.stage, v.meetings.length, v.version])).toEqual(views.map(() => ['exploration', 1, 2]));
  });
});
