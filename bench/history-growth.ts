// Measures how many Temporal timers one agreement holds at once and how its history grows per follow-up,
// on the time-skipping server with the real activities (embedded PostgreSQL, loopback SMTP).
import { addDays, localDate, localInstant } from '../domain/dates.js';
import { DEFAULT_POLICY } from '../domain/types.js';
import { startStandalone } from '../scripts/local/standalone.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor } from '../workflows/messages.js';
import { BENCH_PORTS } from '../config/ports.js';

const FOLLOW_UPS = Number(process.argv[2] ?? 20);
const { env, db, sink, worker, party, stop } = await startStandalone(BENCH_PORTS.historyGrowth.pg);
for (const id of ['upt', 'pemda']) await party(id);

await worker.runUntil(async () => {
  const actor = { kind: 'token' as const, id: 'bench' };
  const handle = await env.client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor('bench'),
    taskQueue: TASK_QUEUE,
    args: [
      {
        agreementId: 'bench',
        actor,
        start: {
          type: 'startAgreement',
          title: 'Bench',
          instrument: 'nota_kesepahaman',
          scope: [],
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
  const historyLength = async () => (await handle.fetchHistory()).events?.length ?? 0;
  const settle = async () => {
    for (;;) {
      const pending = await db.selectFrom('notifications').select('id').where('status', '=', 'pending').execute();
      if (pending.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await settle();
  const base = await historyLength();
  const today = localDate(await env.currentTimeMs(), 'Asia/Jakarta');
  for (let i = 0; i < FOLLOW_UPS; i++) {
    await handle.executeUpdate(commandUpdates.openFollowUp, {
      args: [
        {
          actor,
          command: { type: 'openFollowUp', title: `FU ${i}`, ownerPartyId: 'pemda', due: addDays(today, 20 + i) },
        },
      ],
    });
  }
  await settle();
  const afterOpen = await historyLength();
  await env.sleep(
    Date.parse(localInstant(addDays(today, 20 + FOLLOW_UPS + 30), 'Asia/Jakarta', 9)) - (await env.currentTimeMs()),
  );
  await settle();
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  let open = 0;
  let maxOpen = 0;
  for (const e of events) {
    if (e.timerStartedEventAttributes) maxOpen = Math.max(maxOpen, ++open);
    if (e.timerFiredEventAttributes || e.timerCanceledEventAttributes) open--;
  }
  const stored = await db
    .selectFrom('events')
    .select(db.fn.countAll<string>().as('n'))
    .where('stream_id', '=', 'bench')
    .executeTakeFirstOrThrow();
  const result = {
    followUps: FOLLOW_UPS,
    temporalHistoryEvents: { afterStart: base, afterOpening: afterOpen, afterAllEscalations: events.length },
    historyEventsPerFollowUp: {
      opening: (afterOpen - base) / FOLLOW_UPS,
      fullChain: (events.length - base) / FOLLOW_UPS,
    },
    maxTimersAtOnce: maxOpen,
    timersStarted: events.filter((e) => e.timerStartedEventAttributes).length,
    sinergiEventsStored: Number(stored.n),
    emailsSent: sink.received.length,
  };
  console.log(JSON.stringify(result, null, 2));
});

await stop();
