// Records the Temporal histories of real runs into tests/histories/, which `npm test` replays against the current
// workflow code. Run it only to add a history; never re-record one to make a failing replay pass.
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { existsSync, writeFileSync } from 'node:fs';
import { addDays, localDate, localInstant } from '../domain/dates.js';
import { DEFAULT_POLICY } from '../domain/types.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor, type UpdateCommandType } from '../workflows/messages.js';
import { startStandalone } from './local/standalone.js';

const out = (name: string) => new URL(`../tests/histories/${name}.json`, import.meta.url);
/** Histories are only ever added: an existing file is the record of older code and is never rewritten. */
const wanted = (name: string) => !existsSync(out(name));

const actor = { kind: 'token' as const, id: 'recorder', role: 'admin' };
const s = await startStandalone();
for (const id of ['lapas-garut', 'pemkab-garut', 'dinas-sosial']) await s.party(id);

async function settle(): Promise<void> {
  for (;;) {
    const pending = await s.db.selectFrom('notifications').select('id').where('status', '=', 'pending').execute();
    if (pending.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function scenario(name: string, historyLimit?: number) {
  const id = `history-${name}`;
  const handle = await s.env.client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor(id),
    taskQueue: TASK_QUEUE,
    args: [
      {
        agreementId: id,
        actor,
        ...(historyLimit ? { historyLimit } : {}),
        start: {
          type: 'startAgreement',
          title: 'Nota Kesepahaman Lapas Garut dan Pemkab Garut',
          instrument: 'nota_kesepahaman',
          scope: ['pelatihan keterampilan'],
          termMonths: 12,
          policy: DEFAULT_POLICY,
          parties: [
            { partyId: 'lapas-garut', role: 'initiator', timeZone: 'Asia/Jakarta' },
            { partyId: 'pemkab-garut', role: 'counterpart', timeZone: 'Asia/Jakarta' },
          ],
        },
      },
    ],
  });
  const run = (command: { type: UpdateCommandType } & Record<string, unknown>, agreementId = id) =>
    s.env.client.workflow
      .getHandle(workflowIdFor(agreementId))
      .executeUpdate(commandUpdates[command.type] as never, { args: [{ actor, command }] } as never) as Promise<{
      meetings: { id: string }[];
      followUps: { id: string }[];
      renewal?: { successorId?: string };
    }>;
  return { id, handle, run };
}

await s.worker.runUntil(async () => {
  const today = localDate(await s.env.currentTimeMs(), 'Asia/Jakarta');

  // 1. The whole lifecycle: audiensi with follow-ups (one escalates), draft changed once, ceremony moved, signing,
  //    an operational agreement, monev, renewal, and expiry at the end of a 12-month term. `lifecycle` was recorded
  //    before search attributes were added (the patched() example); `lifecycle-search-attributes` after;
  //    `lifecycle-releasable-append` after appends became releasable (patch `releasable-append`);
  //    `lifecycle-fire-sends` after reminders went out in the step that stores them (patch `fire-sends-mail`).
  const lifecycles = [
    'lifecycle',
    'lifecycle-search-attributes',
    'lifecycle-releasable-append',
    'lifecycle-fire-sends',
  ];
  for (const name of lifecycles) {
    if (!wanted(name)) continue;
    const a = await scenario(name);
    const meeting = await a.run({
      type: 'scheduleMeeting',
      kind: 'audiensi',
      // Yesterday: minutes are refused for a meeting still ahead (issue 34's date rules).
      at: `${addDays(today, -1)}T09:00:00+07:00`,
      venue: 'Setda Garut',
    });
    const minutes = await a.run({
      type: 'recordMinutes',
      meetingId: meeting.meetings[0]!.id,
      summary: 'Sepakat',
      outcome: 'proceed_to_drafting',
      attendees: [{ name: 'Widi', position: 'Kabag Kerja Sama', partyId: 'pemkab-garut' }],
      followUps: [
        { title: 'Finalisasi draf MoU', ownerPartyId: 'lapas-garut', due: addDays(today, 10) },
        { title: 'Langkah teknis', ownerPartyId: 'pemkab-garut', due: addDays(today, 20) },
      ],
    });
    await a.run({ type: 'completeFollowUp', followUpId: minutes.followUps[0]!.id });
    await a.run({ type: 'submitDraft', documentUrl: 'https://dokumen.test/v1.pdf' });
    await a.run({
      type: 'reviewDraft',
      version: 1,
      partyId: 'pemkab-garut',
      decision: 'request_changes',
      comments: 'Pasal 3',
    });
    await a.run({ type: 'submitDraft', documentUrl: 'https://dokumen.test/v2.pdf' });
    await a.run({ type: 'reviewDraft', version: 2, partyId: 'lapas-garut', decision: 'approve' });
    await a.run({ type: 'reviewDraft', version: 2, partyId: 'pemkab-garut', decision: 'approve' });
    const signatories = [{ partyId: 'lapas-garut', name: 'Rusdedy', position: 'Kalapas' }];
    await a.run({
      type: 'scheduleSigning',
      at: `${addDays(today, 30)}T10:00:00+07:00`,
      venue: 'Lapas Garut',
      signatories,
    });
    await a.run({
      type: 'scheduleSigning',
      at: `${addDays(today, 31)}T10:00:00+07:00`,
      venue: 'Lapas Garut',
      signatories,
    });
    await settle();
    await s.env.sleep(Date.parse(localInstant(addDays(today, 31), 'Asia/Jakarta', 12)) - (await s.env.currentTimeMs()));
    await settle();
    await a.run({
      type: 'recordSigning',
      signedAt: addDays(today, 31),
      documentNumbers: { 'lapas-garut': 'W11/1', 'pemkab-garut': '180/2' },
    });
    await a.run({
      type: 'startOperationalAgreement',
      childId: `${name}-pks`,
      party: { partyId: 'dinas-sosial', timeZone: 'Asia/Jakarta' },
      title: 'PKS Dinas Sosial',
      scope: ['kerja sosial'],
      dueBy: addDays(today, 60),
    });
    await a.run({ type: 'recordReport', period: 'Triwulan I', summary: 'Berjalan' });
    await a.run({ type: 'decideRenewal', decision: 'renew' });
    await settle();
    await a.handle.result();
    await settle();
    writeFileSync(out(name), historyToJSON(await a.handle.fetchHistory()));
    console.log(`recorded tests/histories/${name}.json`);
  }

  // 2. A run that continued as new (the first run's history ends with the hand-over).
  if (wanted('continued-as-new')) {
    const b = await scenario('continued', 120);
    for (let i = 0; i < 8; i++)
      await b.run({
        type: 'openFollowUp',
        title: `Rencana kerja ${i}`,
        ownerPartyId: 'pemkab-garut',
        due: addDays(today, 40 + i),
        kind: 'work_plan',
      });
    await settle();
    const first = await s.env.client.workflow
      .getHandle(workflowIdFor(b.id), b.handle.firstExecutionRunId)
      .fetchHistory();
    writeFileSync(out('continued-as-new'), historyToJSON(first));
    await b.run({ type: 'cancelAgreement', reason: 'Selesai direkam' });
    await settle();
    console.log('recorded tests/histories/continued-as-new.json');
  }
});
await s.stop();
