// The worker process: builds its connections once and runs until SIGINT/SIGTERM, finishing or handing back its tasks.
import { NativeConnection } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createEngineMetrics } from '../activities/metrics.js';
import { processMetrics, temporalMetricsFrom } from '../infra/metrics.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { createDb, createMailer } from '../infra/connections.js';
import { untilConnected } from '../infra/temporal.js';
import { serveMetrics } from './metrics-server.js';
import { installTemporalRuntime } from './runtime.js';
import { createWorker } from './run.js';
import { workerSettings } from './settings.js';
import { startSignInMailQueue } from '../activities/notifications/sign-in-queue.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  installTemporalRuntime(log, 'WARN', config.temporalMetricsPort);
  const registry = new Registry();
  processMetrics(registry);
  const db = createDb(config.databaseUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  const mailer = createMailer(config.smtpUrl);
  const connection = await untilConnected(
    () => NativeConnection.connect({ address: config.temporalAddress }),
    (attempt, err) => log.warn({ attempt, err: err.message }, 'Temporal not reachable yet; trying again'),
  );
  const worker = await createWorker({
    ...workerSettings(config),
    connection,
    db,
    mailer,
    log,
    metrics: createEngineMetrics(registry),
  });
  const serving = {
    port: config.metricsPort,
    host: config.metricsHost,
    ...(config.metricsToken ? { scrapeToken: config.metricsToken } : {}),
  };
  const metricsServer = await serveMetrics(registry, serving, temporalMetricsFrom(config.temporalMetricsPort));
  if (!config.linkSecret) log.warn('SINERGI_LINK_SECRET is not set: e-mails go out without act-from-e-mail links');
  log.info(
    { temporalAddress: config.temporalAddress, namespace: config.temporalNamespace, metricsPort: config.metricsPort },
    'worker started',
  );
  const signInMail = startSignInMailQueue({
    db,
    mailer,
    log,
    linkMinutes: config.sessions.linkMinutes,
    delivery: { from: config.mailFrom, perAgreementPerHour: config.mailPerAgreementPerHour },
  });
  // The SDK stops polling on SIGINT/SIGTERM and waits (up to the grace time) for running activities.
  await worker.run();
  await signInMail.stop();
  metricsServer.close();
  await connection.close();
  mailer.close();
  await db.destroy();
  log.info('worker stopped');
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
