// Starts a two-party agreement (upt, pemda) and drives it to `active` through Updates, as the benchmarks need.
import type { Client } from '@temporalio/client';
import { DEFAULT_POLICY } from '../domain/types.js';
import type { AgreementView } from '../domain/view.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor, type UpdateCommandType } from '../workflows/messages.js';
import { localDate } from '../domain/dates.js';

/** Today in WIB: a signing is recorded once it happened (decide refuses a date ahead). */
const signedOn = (): string => localDate(Date.now(), 'Asia/Jakarta');

const actor = { kind: 'token' as const, id: 'bench' };
export type Send = (command: { type: UpdateCommandType } & Record<string, unknown>) => Promise<AgreementView>;

export async function startToActive(client: Client, id: string, instrument = 'kesepakatan_bersama'): Promise<Send> {
  const handle = await client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor(id),
    taskQueue: TASK_QUEUE,
    args: [
      {
        agreementId: id,
        actor,
        start: {
          type: 'startAgreement',
          title: id,
          instrument: instrument as 'kesepakatan_bersama',
          scope: ['a'],
          termMonths: 60,
          policy: DEFAULT_POLICY,
          parties: [
            { partyId: 'upt', role: 'initiator', timeZone: 'Asia/Jakarta' },
            { partyId: 'pemda', role: 'counterpart', timeZone: 'Asia/Jakarta' },
          ],
        },
      },
    ],
  });
  const send: Send = (command) =>
    handle.executeUpdate(
      commandUpdates[command.type] as never,
      { args: [{ actor, command }] } as never,
    ) as Promise<AgreementView>;
  const v = await send({ type: 'scheduleMeeting', kind: 'audiensi', at: '2026-12-01T09:00:00+07:00', venue: 'Aula' });
  await send({
    type: 'recordMinutes',
    meetingId: v.meetings[0]!.id,
    attendees: [{ name: 'A', position: 'B', partyId: 'upt' }],
    summary: 'S',
    outcome: 'proceed_to_drafting',
  });
  await send({ type: 'submitDraft', documentUrl: 'https://dokumen.test/v1.pdf' });
  await send({ type: 'reviewDraft', version: 1, partyId: 'upt', decision: 'approve' });
  await send({ type: 'reviewDraft', version: 1, partyId: 'pemda', decision: 'approve' });
  await send({
    type: 'scheduleSigning',
    at: `${signedOn()}T08:00:00+07:00`,
    venue: 'Aula',
    signatories: [{ partyId: 'upt', name: 'K', position: 'Kepala' }],
  });
  await send({ type: 'recordSigning', signedAt: signedOn(), documentNumbers: { upt: `1/${id}`, pemda: `2/${id}` } });
  return send;
}
