// `npm start`: the whole product on embedded defaults, in one process group. Ctrl-C stops it; starting again resumes.
import { NativeConnection } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createEngineMetrics } from '../activities/metrics.js';
import { buildApp } from '../api/app.js';
import { appSettings } from '../api/settings.js';
import { connectTemporal } from '../infra/temporal.js';
import { workerSettings } from '../worker/settings.js';
import { processMetrics, temporalMetricsFrom } from '../infra/metrics.js';
import { ConfigError, loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { migrateToLatest } from '../schema/migrate.js';
import { backfillOverview } from '../activities/projections/overview.js';
import { createDb, createMailer } from '../infra/connections.js';
import { installTemporalRuntime } from '../worker/runtime.js';
import { createWorker } from '../worker/run.js';
import { startSignInMailQueue } from '../activities/notifications/sign-in-queue.js';
import { startMailSink } from './local/mail-sink.js';
import { PostgresStartError, startPostgres } from './local/postgres.js';
import { createOperator } from '../services/people.js';

/** The local stack's own operator. */
const LOCAL_ADMIN = 'admin@sinergi.local';
import { startDevServer } from './local/temporal.js';

/** A secret kept in the data folder, so it survives restarts (admin token, link key). */
function keptSecret(dataDir: string, file: string, fromEnv: string | undefined, prefix = ''): string {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = `${prefix}${randomBytes(24).toString('base64url')}`;
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** One start-up step, said as it begins and again with its time: "menyiapkan PostgreSQL… 3.1 s". */
async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  console.log(`${label}…`);
  const result = await fn();
  console.log(`${label}… ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'sinergi');
  installTemporalRuntime(log, 'WARN', config.temporalMetricsPort);
  const registry = new Registry();
  processMetrics(registry);
  mkdirSync(config.dataDir, { recursive: true });
  const started = Date.now();
  const stops: (() => Promise<void>)[] = [];

  const postgres = await step('menyiapkan PostgreSQL', async () => {
    const pg = await startPostgres(join(config.dataDir, 'postgres'), config.local.postgresPort, (line) =>
      log.debug({ component: 'postgres' }, line),
    );
    stops.unshift(() => pg.stop());
    await pg.createDatabase('sinergi');
    return pg;
  });
  const databaseUrl = process.env.DATABASE_URL ?? postgres.urlFor('sinergi');
  const db = createDb(databaseUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  stops.unshift(() => db.destroy());
  const migrations = await step('memperbarui skema basis data', () => migrateToLatest(db));
  await backfillOverview(db);
  log.info({ applied: migrations.results?.map((r) => r.migrationName) ?? [] }, 'migrations up to date');
  // Someone to sign in as on a fresh stack: an admin operator whose sign-in links land in .data/mail.
  await createOperator(db, { email: LOCAL_ADMIN, name: 'Admin lokal', role: 'admin' });

  const temporal = await step('menyalakan Temporal', () =>
    startDevServer({
      dbFile: join(config.dataDir, 'temporal.db'),
      port: config.local.temporalPort,
      uiPort: config.local.temporalUiPort,
      log: (line) => log.debug({ component: 'temporal' }, line),
    }),
  );
  stops.unshift(() => temporal.stop());

  const mailDir = join(config.dataDir, 'mail');
  const sink = await step('menyalakan penampung e-mail', () =>
    startMailSink(mailDir, config.local.smtpPort, { inMemory: false }),
  );
  stops.unshift(() => sink.stop());
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  stops.unshift(async () => mailer.close());

  const linkSecret = keptSecret(config.dataDir, 'link-secret', config.linkSecret);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await step('menyiapkan worker', () =>
    createWorker({
      ...workerSettings(config),
      links: { secret: linkSecret, ttlDays: config.linkTtlDays },
      connection: workerConnection,
      db,
      mailer,
      log,
      metrics: createEngineMetrics(registry),
    }),
  );
  const workerDone = worker.run();
  const signInMail = startSignInMailQueue({
    db,
    mailer,
    log,
    linkMinutes: config.sessions.linkMinutes,
    delivery: { from: config.mailFrom, perAgreementPerHour: config.mailPerAgreementPerHour },
  });
  stops.unshift(() => signInMail.stop());

  const temporalClient = await connectTemporal({ ...config, temporalAddress: temporal.address });
  const token = keptSecret(config.dataDir, 'admin-token', config.adminToken, 'sng_');
  const extra = temporalMetricsFrom(config.temporalMetricsPort);
  const app = await buildApp({
    ...appSettings(config),
    db,
    temporal: temporalClient.client,
    adminToken: token,
    log,
    devMailDir: mailDir,
    linkSecret,
    metrics: { registry, ...(extra ? { extra } : {}) },
  });
  await step('membuka API dan dasbor', () => app.listen({ host: config.host, port: config.port }));

  // The one address people use: the e-mailed sign-in links carry it, and a session is bound to it.
  const apiUrl = config.publicUrl.replace(/\/+$/, '');
  console.log(
    [
      '',
      'Sinergi is running.',
      `  Dashboard      ${apiUrl}/  (masuk sebagai ${LOCAL_ADMIN}; tautan masuk ada di e-mail di bawah)`,
      `  API            ${apiUrl}  (OpenAPI: ${apiUrl}/openapi.json, docs: ${apiUrl}/docs)`,
      `  Temporal UI    ${temporal.uiUrl}`,
      `  Admin token    ${token}  (untuk /v1 dan CLI)`,
      `  E-mails (.eml) ${mailDir}  (list: ${apiUrl}/dev/mail)`,
      `  Data           ${config.dataDir}`,
      `  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await app.close();
    await temporalClient.close();
    if (worker.getState() === 'RUNNING') worker.shutdown(); // the SDK itself also stops the worker on SIGINT/SIGTERM
    await workerDone;
    await workerConnection.close();
    for (const stop of stops) await stop().catch((err: unknown) => log.warn({ err }, 'stop failed'));
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

run().catch((err: unknown) => {
  // What the operator can fix is one sentence; anything else keeps its stack for a bug report.
  if (err instanceof PostgresStartError || err instanceof ConfigError)
    console.error(`Sinergi tidak dapat dimulai: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
