// The real parts in one process for scripts (benchmarks, history recording): embedded PostgreSQL in a temporary
// folder, the time-skipping Temporal server, a loopback SMTP sink and a worker with the real activities.
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_HOLIDAYS_DIR } from '../../config/env.js';
import type { Database } from '../../schema/database.js';
import { migrateToLatest } from '../../schema/migrate.js';
import { createDb, createMailer } from '../../infra/connections.js';
import { createWorker } from '../../worker/run.js';
import { installTemporalRuntime } from '../../worker/runtime.js';
import { temporalTestServer } from './binaries.js';
import { startMailSink, type MailSink } from './mail-sink.js';
import { startPostgres } from './postgres.js';
import { BENCH_PORTS } from '../../config/ports.js';

export interface Standalone {
  env: TestWorkflowEnvironment;
  db: Kysely<Database>;
  sink: MailSink;
  worker: Worker;
  /** Adds a party with a liaison, a signatory and a supervisor. */
  party(id: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandalone(pgPort: number = BENCH_PORTS.recordHistories.pg): Promise<Standalone> {
  const log = pino({ level: 'warn' });
  installTemporalRuntime(log);
  const dir = mkdtempSync(join(tmpdir(), 'sinergi-standalone-'));
  const pg = await startPostgres(join(dir, 'pg'), pgPort);
  await pg.createDatabase('sinergi');
  const db = createDb(pg.urlFor('sinergi'));
  await migrateToLatest(db);
  const sink = await startMailSink(join(dir, 'mail'));
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServer() } },
  });
  const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST: KEYWORD_LIST } =
    proto.temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: { SinergiStage: KEYWORD, SinergiInstrument: KEYWORD, SinergiParties: KEYWORD_LIST },
  });
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    db,
    mailer,
    mailFrom: 'Sinergi <sinergi@standalone.test>',
    publicUrl: 'http://localhost',
    log,
    holidaysDir: DEFAULT_HOLIDAYS_DIR,
    // Time-skipping runs years in seconds: a per-hour e-mail limit on the wall clock would hold every e-mail back.
    mailPerAgreementPerHour: 0,
  });
  return {
    env,
    db,
    sink,
    worker,
    async party(id) {
      const contacts = ['liaison', 'signatory', 'supervisor'].map((role) => ({
        name: `${role} ${id}`,
        position: role,
        email: `${role}@${id}.test`,
        role,
      }));
      await db
        .insertInto('parties')
        .values({
          id,
          name: id,
          kind: 'other',
          parent_id: null,
          time_zone: 'Asia/Jakarta',
          contacts: JSON.stringify(contacts),
          updated_at: new Date(),
        })
        .execute();
    },
    async stop() {
      await env.teardown();
      mailer.close();
      await sink.stop();
      await db.destroy();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
