// The history one long agreement leaves in Temporal: a Nota Kesepakatan with 21 OPD PKS (seed 001), five years
// of monev every six months, and 40 follow-ups with their reminders and escalations, on the time-skipping
// server with the real activities. Prints the history bytes of the umbrella across its continue-as-new runs.
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { addDays, addMonths, localDate, localInstant } from '../domain/dates.js';
import { DEFAULT_POLICY } from '../domain/types.js';
import { startStandalone } from '../scripts/local/standalone.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor } from '../workflows/messages.js';
import { BENCH_PORTS } from '../config/ports.js';

const ID = 'seed-001-history';
const { env, db, worker, party, stop } = await startStandalone(BENCH_PORTS.historyBytes.pg);
for (const id of ['bapas-klaten', 'pemkab-klaten']) await party(id);
const opds = Array.from({ length: 21 }, (_, i) => `opd-${String(i + 1).padStart(2, '0')}`);
for (const id of opds) await party(id);
const actor = { kind: 'token' as const, id: 'bench' };
const zone = 'Asia/Jakarta' as const;

const result = await worker.runUntil(async () => {
  const handle = await env.client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor(ID),
    taskQueue: TASK_QUEUE,
    args: [
      {
        agreementId: ID,
        actor,
        start: {
          type: 'startAgreement',
          title: 'Nota Kesepakatan Klaten',
          instrument: 'nota_kesepakatan',
          scope: ['pembimbingan'],
          termMonths: 60,
          policy: DEFAULT_POLICY,
          parties: [
            { partyId: 'bapas-klaten', role: 'initiator', timeZone: zone },
            { partyId: 'pemkab-klaten', role: 'counterpart', timeZone: zone },
          ],
        },
      },
    ],
  });
  const send = async (command: Record<string, unknown> & { type: keyof typeof commandUpdates }) =>
    handle.executeUpdate(commandUpdates[command.type] as never, { args: [{ actor, command }] } as never) as Promise<{
      meetings: { id: string }[];
      drafts: unknown[];
    }>;
  const now = async () => env.currentTimeMs();
  const at = async (days: number) => localInstant(addDays(localDate(await now(), zone), days), zone, 9);
  const view = await send({ type: 'scheduleMeeting', kind: 'audiensi', at: await at(3), venue: 'Aula' });
  await send({
    type: 'recordMinutes',
    meetingId: view.meetings[0]!.id,
    attendees: [{ name: 'K', position: 'K', partyId: 'bapas-klaten' }],
    summary: 'Lanjut.',
    outcome: 'proceed_to_drafting',
  });
  await send({ type: 'submitDraft', documentUrl: 'https://dokumen.test/draf.pdf' });
  for (const partyId of ['bapas-klaten', 'pemkab-klaten'])
    await send({ type: 'reviewDraft', version: 1, partyId, decision: 'approve' });
  await send({
    type: 'scheduleSigning',
    at: await at(7),
    venue: 'Pendopo',
    signatories: [
      { partyId: 'bapas-klaten', name: 'Kabapas', position: 'Kepala' },
      { partyId: 'pemkab-klaten', name: 'Bupati', position: 'Bupati' },
    ],
  });
  const signedOn = localDate(await now(), zone);
  await send({
    type: 'recordSigning',
    signedAt: signedOn,
    documentNumbers: { 'bapas-klaten': 'W/1', 'pemkab-klaten': '180/1' },
  });
  for (const opd of opds)
    await send({
      type: 'startOperationalAgreement',
      childId: `${ID}-${opd}`,
      party: { partyId: opd, timeZone: zone },
      title: `PKS ${opd}`,
      scope: ['pembimbingan'],
    });
  for (let i = 0; i < 40; i++)
    await send({
      type: 'openFollowUp',
      title: `Rencana kerja ${i + 1}`,
      ownerPartyId: opds[i % opds.length]!,
      ownerParentId: 'pemkab-klaten',
      ownerTimeZone: zone,
      due: addDays(signedOn, 30 + i * 40),
    });
  // Five years: a monev report in each six-month period, a few days before it is due; follow-ups left to escalate.
  for (let period = 1; period <= 10; period++) {
    const due = addMonths(signedOn, period * 6);
    await env.sleep(Date.parse(localInstant(addDays(due, -5), zone, 9)) - (await now()));
    await send({ type: 'recordReport', period: `Semester ${period}`, summary: 'Laporan monev.' });
  }
  // Every run of the umbrella, following continue-as-new from the first.
  // A whole run's history in one answer can pass gRPC's 4 MB default: read it over a connection that allows more.
  const reader = new Client({
    connection: await Connection.connect({
      address: env.address,
      channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
    }),
  });
  let runId: string | undefined = handle.firstExecutionRunId;
  let bytes = 0,
    events = 0,
    runs = 0,
    largestActivityInput = 0;
  while (runId) {
    const history = await reader.workflow.getHandle(workflowIdFor(ID), runId).fetchHistory();
    runs++;
    bytes += proto.temporal.api.history.v1.History.encode(history).finish().length;
    events += history.events?.length ?? 0;
    for (const e of history.events ?? []) {
      const input = e.activityTaskScheduledEventAttributes?.input;
      if (input)
        largestActivityInput = Math.max(
          largestActivityInput,
          proto.temporal.api.common.v1.Payloads.encode(input).finish().length,
        );
    }
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  const stored = await db
    .selectFrom('events')
    .select(db.fn.countAll<string>().as('n'))
    .where('stream_id', '=', ID)
    .executeTakeFirstOrThrow();
  await reader.connection.close();
  return {
    historyBytes: bytes,
    historyEvents: events,
    runs,
    largestActivityInputBytes: largestActivityInput,
    storedEvents: Number(stored.n),
  };
});
console.log(JSON.stringify(result, null, 2));
await stop();
