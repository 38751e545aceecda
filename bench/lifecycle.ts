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
import type { Database } from '../schema/database.js';
import { startMailSink } from '../scripts/local/mail-sink.js';
import { startDevServer } from '../scripts/local/temporal.js';
import {
  startTemporalOnPostgres,
  unavailableBecause,
  type PostgresTarget,
} from '../scripts/local/temporal-postgres.js';
import { mkdirSync } from 'node:fs';
import { createMailer } from '../infra/connections.js';
import { createWorker } from '../worker/run.js';
import { startedUpdate, workflowIdFor } from '../workflows/messages.js';
import { startToActive } from './drive.js';
import { bareWorkflow, step } from './workflows/bare.js';
import type { Row } from './event-store.js';
import { BENCH_PORTS } from '../config/ports.js';

/** Where Temporal keeps its state: the dev server's SQLite file, or the production topology's PostgreSQL. */
export type Backend = { kind: 'sqlite' } | { kind: 'postgres'; pg: PostgresTarget };

async function temporalServer(backend: Backend, dir: string): Promise<{ address: string; stop(): Promise<void> }> {
  if (backend.kind === 'sqlite')
    return startDevServer({
      dbFile: join(dir, 'temporal-bench.db'),
      port: BENCH_PORTS.lifecycle.temporal,
      uiPort: BENCH_PORTS.lifecycle.ui,
      log: () => {},
    });
  const why = unavailableBecause();
  if (why) throw new Error(`--backend=postgres: ${why}`);
  const root = join(dir, 'temporal-pg');
  mkdirSync(root, { recursive: true });
  return startTemporalOnPostgres({ root, pg: backend.pg, portBase: BENCH_PORTS.lifecycle.temporalBase });
}

export async function lifecycle(
  db: Kysely<Database>,
  dir: string,
  sizes: number[],
  backend: Backend = { kind: 'sqlite' },
  repeat = 0,
): Promise<Row[]> {
  const server = await temporalServer(backend, dir);
  const where =
    backend.kind === 'sqlite'
      ? 'dev server on a SQLite file'
      : 'Temporal server on PostgreSQL (the production topology)';
  const sink = await startMailSink(join(dir, 'mail-lifecycle'));
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const log = pino({ level: 'silent' });
  for (const id of ['upt', 'pemda', 'opd-1', 'opd-2', 'opd-3']) {
    await db
      .insertInto('parties')
      .values({
        id,
        name: id,
        kind: 'other',
        parent_id: null,
        time_zone: 'Asia/Jakarta',
        contacts: JSON.stringify([{ name: 'L', position: 'P', email: `l@${id}.test`, role: 'liaison' }]),
        updated_at: new Date(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const ours = await createWorker({
    connection,
    namespace: 'default',
    db,
    mailer,
    mailFrom: 'Sinergi <s@bench.test>',
    publicUrl: 'http://x',
    log,
    holidaysDir: DEFAULT_HOLIDAYS_DIR,
  });
  const bare = await Worker.create({
    connection,
    taskQueue: 'bench-bare',
    workflowsPath: fileURLToPath(new URL('./workflows/bare.ts', import.meta.url)),
    activities: { noop: async () => {} },
  });
  const rows: Row[] = [];
  let round = 0;
  await Promise.all([
    ours.runUntil(async () => {
      await bare.runUntil(async () => {
        // A fresh server on PostgreSQL answers UNAVAILABLE ("shard status unknown") until its shards are owned.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.workflow.execute(bareWorkflow, {
              workflowId: `bare-ready-${repeat}-${attempt}`,
              taskQueue: 'bench-bare',
              args: [{ updates: 0, activities: 1, children: 0, childActivities: 0 }],
            });
            break;
          } catch (err) {
            if (attempt > 60) throw err;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
        for (const n of sizes) {
          round++;
          const run = async (id: string) => {
            const u = await startToActive(client, id);
            for (let c = 1; c <= 3; c++) {
              await u({
                type: 'startOperationalAgreement',
                childId: `${id}-pks-${c}`,
                party: { partyId: `opd-${c}`, timeZone: 'Asia/Jakarta' },
                title: `PKS ${c}`,
                scope: [],
              });
              await client.workflow.getHandle(workflowIdFor(`${id}-pks-${c}`)).executeUpdate(startedUpdate);
            }
          };
          const eventsBefore = Number(
            (await db.selectFrom('events').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
          );
          const t0 = performance.now();
          await Promise.all(Array.from({ length: n }, (_, i) => run(`life-${backend.kind}-${repeat}-${round}-${i}`)));
          const oursSeconds = (performance.now() - t0) / 1000;
          const events =
            Number(
              (await db.selectFrom('events').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
            ) - eventsBefore;
          // Same shape: 10 updates, the umbrella's 11 appends + 1 local activity + its e-mails, 3 children.
          const t1 = performance.now();
          await Promise.all(
            Array.from({ length: n }, async (_, i) => {
              const handle = await client.workflow.start(bareWorkflow, {
                workflowId: `bare-${backend.kind}-${repeat}-${round}-${i}`,
                taskQueue: 'bench-bare',
                args: [{ updates: 10, activities: 12, children: 3, childActivities: 3 }],
              });
              for (let s = 0; s < 10; s++) await handle.executeUpdate(step);
              await handle.result();
            }),
          );
          const bareSeconds = (performance.now() - t1) / 1000;
          rows.push({
            benchmark: `lifecycle to active with 3 PKS, ${n} agreements at once, ${backend.kind}`,
            figure: +(n / oursSeconds).toFixed(2),
            unit: 'agreements/s',
            baseline: +(n / bareSeconds).toFixed(2),
            ratio: +(bareSeconds / oursSeconds).toFixed(2),
            note: `${Math.round(events / oursSeconds)} events/s; ${where}`,
          });
        }
      });
    }),
  ]);
  mailer.close();
  await sink.stop();
  await connection.close();
  await server.stop();
  return rows;
}
