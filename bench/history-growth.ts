// Measures how many Temporal timers one agreement holds at once and how its history grows per follow-up,
// on the time-skipping server with the real activities (embedded PostgreSQL, loopback SMTP).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_HOLIDAYS_DIR } from '../config/env.js';
import { addDays, localDate, localInstant } from '../domain/dates.js';
import { DEFAULT_POLICY } from '../domain/types.js';
import { migrateToLatest } from '../schema/migrate.js';
import { startMailSink } from '../scripts/local/mail-sink.js';
import { startPostgres } from '../scripts/local/postgres.js';
import { temporalTestServer } from '../scripts/local/binaries.js';
import { createDb, createMailer } from '../worker/connections.js';
import { createWorker } from '../worker/run.js';
import { installTemporalRuntime } from '../worker/runtime.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, workflowIdFor } from '../workflows/messages.js';

const FOLLOW_UPS = Number(process.argv[2] ?? 20);
const log = pino({ level: 'warn' });
installTemporalRuntime(log);

const dir = mkdtempSync(join(tmpdir(), 'sinergi-bench-'));
const pg = await startPostgres(join(dir, 'pg'), 54999);
await pg.createDatabase('bench');
const db = createDb(pg.urlFor('bench'));
await migrateToLatest(db);
const sink = await startMailSink(join(dir, 'mail'));
const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServer() } } });
const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', db, mailer, mailFrom: 'Sinergi <s@bench.test>', publicUrl: 'http://x', log, holidaysDir: DEFAULT_HOLIDAYS_DIR });

const contacts = (p: string) => [
  { name: 'L', position: 'Liaison', email: `l@${p}.test`, role: 'liaison' },
  { name: 'S', position: 'Supervisor', email: `s@${p}.test`, role: 'supervisor' },
];
for (const id of ['upt', 'pemda']) {
  await db.insertInto('parties').values({ id, name: id, kind: id, parent_id: null, time_zone: 'Asia/Jakarta', contacts: JSON.stringify(contacts(id)), updated_at: new Date() }).execute();
}

await worker.runUntil(async () => {
  const actor = { kind: 'token' as const, id: 'bench' };
  const handle = await env.client.workflow.start(agreementWorkflow, {
    workflowId: workflowIdFor('bench'),
    taskQueue: TASK_QUEUE,
    args: [{ agreementId: 'bench', actor, start: { type: 'startAgreement', title: 'Bench', instrument: 'nota_kesepahaman', scope: [], termMonths: 60, policy: DEFAULT_POLICY, parties: [{ partyId: 'upt', role: 'initiator', timeZone: 'Asia/Jakarta' }, { partyId: 'pemda', role: 'counterpart', timeZone: 'Asia/Jakarta' }] } }],
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
    await handle.executeUpdate(commandUpdates.openFollowUp, { args: [{ actor, command: { type: 'openFollowUp', title: `FU ${i}`, ownerPartyId: 'pemda', due: addDays(today, 20 + i) } }] });
  }
  await settle();
  const afterOpen = await historyLength();
  await env.sleep(Date.parse(localInstant(addDays(today, 20 + FOLLOW_UPS + 30), 'Asia/Jakarta', 9)) - (await env.currentTimeMs()));
  await settle();
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  let open = 0;
  let maxOpen = 0;
  for (const e of events) {
    if (e.timerStartedEventAttributes) maxOpen = Math.max(maxOpen, ++open);
    if (e.timerFiredEventAttributes || e.timerCanceledEventAttributes) open--;
  }
  const stored = await db.selectFrom('events').select(db.fn.countAll<string>().as('n')).where('stream_id', '=', 'bench').executeTakeFirstOrThrow();
  const result = {
    followUps: FOLLOW_UPS,
    temporalHistoryEvents: { afterStart: base, afterOpening: afterOpen, afterAllEscalations: events.length },
    historyEventsPerFollowUp: { opening: (afterOpen - base) / FOLLOW_UPS, fullChain: (events.length - base) / FOLLOW_UPS },
    maxTimersAtOnce: maxOpen,
    timersStarted: events.filter((e) => e.timerStartedEventAttributes).length,
    sinergiEventsStored: Number(stored.n),
    emailsSent: sink.received.length,
  };
  console.log(JSON.stringify(result, null, 2));
});

await env.teardown();
mailer.close();
await sink.stop();
await db.destroy();
await pg.stop();
rmSync(dir, { recursive: true, force: true });
