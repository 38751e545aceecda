// The API process: builds its connections once and serves until SIGINT/SIGTERM.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../infra/connections.js';
import { Registry } from 'prom-client';
import { buildApp } from './app.js';
import { processMetrics } from '../infra/metrics.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'api');
  const db = createDb(config.databaseUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const registry = new Registry();
  processMetrics(registry);
  const app = await buildApp({
    db,
    temporal,
    log,
    metrics: { registry },
    publicUrl: config.publicUrl,
    ...(config.linkSecret ? { linkSecret: config.linkSecret } : {}),
    rateLimitPerMinute: config.rateLimitPerMinute,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    authFailuresPerMinute: config.authFailuresPerMinute,
    idempotencyHours: config.idempotencyHours,
    maxUploadMb: config.maxUploadMb,
    feedDays: config.feedDays,
    reading: config.reading,
    ...(config.draftTemplate ? { draftTemplate: config.draftTemplate } : {}),
    mailFrom: config.mailFrom,
    sessions: config.sessions,
    signInRequestsPerMinute: config.signInRequestsPerMinute,
    ...(config.sso ? { sso: config.sso } : {}),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  });
  await app.listen({ host: config.host, port: config.port });
  // SIGTERM: stop accepting connections, finish the requests in flight, then close the connections.
  const stop = async (): Promise<void> => {
    log.info('stopping: finishing requests in flight');
    await app.close();
    await connection.close();
    await db.destroy();
    log.info('api stopped');
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
