// Benchmark 4 (and its growth at 10x): N agreements at once from start to active with three PKS each, through the
// workflow client on the local Temporal dev server (SQLite file), against a bare workflow with the same updates,
// activities and children on the same server.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_HOLIDAYS_DIR } from '../config/env.js';
import { DEFAULT_POLICY } from '../domain/types.js';
import type { Database } from '../schema/database.js';
import { startMailSink } from '../scripts/local/mail-sink.js';
import { startDevServer } from '../scripts/local/temporal.js';
import { createMailer } from '../worker/connections.js';
import { createWorker } from '../worker/run.js';
import { agreementWorkflow } from '../workflows/agreement.js';
import { TASK_QUEUE, commandUpdates, startedUpdate, workflowIdFor, type UpdateCommandType } from '../workflows/messages.js';
import { bareWorkflow, step } from './workflows/bare.js';
import type { Row } from './event-store.js';

const actor = { kind: 'token' as const, id: 'bench' };

export async function lifecycle(db: Kysely<Database>, dir: string, sizes: number[]): Promise<Row[]> {
  const server = await startDevServer({ dbFile: join(dir, 'temporal-bench.db'), port: 55401, uiPort: 55402, log: () => {} });
  const sink = await startMailSink(join(dir, 'mail-lifecycle'));
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const log = pino({ level: 'silent' });
  for (const id of ['upt', 'pemda', 'opd-1', 'opd-2', 'opd-3']) {
    await db.insertInto('parties').values({ id, name: id, kind: 'other', parent_id: null, time_zone: 'Asia/Jakarta', contacts: JSON.stringify([{ name: 'L', position: 'P', email: `l@${id}.test`, role: 'liaison' }]), updated_at: new Date() }).onConflict((oc) => oc.doNothing()).execute();
  }
  const ours = await createWorker({ connection, namespace: 'default', db, mailer, mailFrom: 'Sinergi <s@bench.test>', publicUrl: 'http://x', log, holidaysDir: DEFAULT_HOLIDAYS_DIR });
  const bare = await Worker.create({ connection, taskQueue: 'bench-bare', workflowsPath: fileURLToPath(new URL('./workflows/bare.ts', import.meta.url)), activities: { noop: async () => {} } });
  const rows: Row[] = [];
  let round = 0;
  await Promise.all([ours.runUntil(async () => {
    await bare.runUntil(async () => {
      for (const n of sizes) {
        round++;
        const run = async (id: string) => {
          const handle = await client.workflow.start(agreementWorkflow, { workflowId: workflowIdFor(id), taskQueue: TASK_QUEUE, args: [{ agreementId: id, actor, start: { type: 'startAgreement', title: id, instrument: 'kesepakatan_bersama', scope: [], termMonths: 60, policy: DEFAULT_POLICY, parties: [{ partyId: 'upt', role: 'initiator', timeZone: 'Asia/Jakarta' }, { partyId: 'pemda', role: 'counterpart', timeZone: 'Asia/Jakarta' }] } }] });
          const u = (command: { type: UpdateCommandType } & Record<string, unknown>) => handle.executeUpdate(commandUpdates[command.type] as never, { args: [{ actor, command }] } as never) as Promise<{ meetings: { id: string }[] }>;
          const v = await u({ type: 'scheduleMeeting', kind: 'audiensi', at: '2026-12-01T09:00:00+07:00', venue: 'Aula' });
          await u({ type: 'recordMinutes', meetingId: v.meetings[0]!.id, attendees: [{ name: 'A', position: 'B', partyId: 'upt' }], summary: 'S', outcome: 'proceed_to_drafting' });
          await u({ type: 'submitDraft', documentUrl: 'https://dokumen.test/v1.pdf' });
          await u({ type: 'reviewDraft', version: 1, partyId: 'upt', decision: 'approve' });
          await u({ type: 'reviewDraft', version: 1, partyId: 'pemda', decision: 'approve' });
          await u({ type: 'scheduleSigning', at: '2026-12-10T10:00:00+07:00', venue: 'Aula', signatories: [{ partyId: 'upt', name: 'K', position: 'Kepala' }] });
          await u({ type: 'recordSigning', signedAt: '2026-12-10', documentNumbers: { upt: '1', pemda: '2' } });
          for (let c = 1; c <= 3; c++) {
            await u({ type: 'startOperationalAgreement', childId: `${id}-pks-${c}`, party: { partyId: `opd-${c}`, timeZone: 'Asia/Jakarta' }, title: `PKS ${c}`, scope: [] });
            await client.workflow.getHandle(workflowIdFor(`${id}-pks-${c}`)).executeUpdate(startedUpdate);
          }
        };
        const eventsBefore = Number((await db.selectFrom('events').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
        const t0 = performance.now();
        await Promise.all(Array.from({ length: n }, (_, i) => run(`life-${round}-${i}`)));
        const oursSeconds = (performance.now() - t0) / 1000;
        const events = Number((await db.selectFrom('events').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n) - eventsBefore;
        // Same shape: 10 updates, the umbrella's 11 appends + 1 local activity + its e-mails, 3 children.
        const t1 = performance.now();
        await Promise.all(Array.from({ length: n }, async (_, i) => {
          const handle = await client.workflow.start(bareWorkflow, { workflowId: `bare-${round}-${i}`, taskQueue: 'bench-bare', args: [{ updates: 10, activities: 12, children: 3, childActivities: 3 }] });
          for (let s = 0; s < 10; s++) await handle.executeUpdate(step);
          await handle.result();
        }));
        const bareSeconds = (performance.now() - t1) / 1000;
        rows.push({ benchmark: `lifecycle to active with 3 PKS, ${n} agreements at once`, figure: +(n / oursSeconds).toFixed(2), unit: 'agreements/s', baseline: +(n / bareSeconds).toFixed(2), ratio: +(bareSeconds / oursSeconds).toFixed(2), note: `${Math.round(events / oursSeconds)} events/s; dev server on a SQLite file` });
      }
    });
  })]);
  mailer.close();
  await sink.stop();
  await connection.close();
  await server.stop();
  return rows;
}
