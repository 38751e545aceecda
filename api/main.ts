// The API process: builds its connections once and serves until SIGINT/SIGTERM.
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { createDb } from '../infra/connections.js';
import { Registry } from 'prom-client';
import { buildApp } from './app.js';
import { appSettings } from './settings.js';
import { connectTemporal } from '../infra/temporal.js';
import { processMetrics } from '../infra/metrics.js';
import { readTrustAnchors } from '../services/documents/signatures/trust.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'api');
  // A trust folder that is missing or holds a file that is no certificate stops the start, not the first upload.
  const anchors = readTrustAnchors(config.tteTrustDir);
  log.info({ trustAnchors: anchors.subjects }, 'trust anchors of electronic signatures read');
  const db = createDb(config.databaseUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  const temporal = await connectTemporal(config, (attempt, err) =>
    log.warn({ attempt, err: err.message }, 'Temporal not reachable yet; trying again'),
  );
  const registry = new Registry();
  processMetrics(registry);
  const app = await buildApp({ ...appSettings(config), db, temporal: temporal.client, log, metrics: { registry } });
  await app.listen({ host: config.host, port: config.port });
  // SIGTERM: stop accepting connections, finish the requests in flight, then close the connections.
  const stop = async (): Promise<void> => {
    log.info('stopping: finishing requests in flight');
    await app.close();
    await temporal.close();
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
