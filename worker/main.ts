// The worker process: builds its connections once and runs until SIGINT/SIGTERM.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { createDb, createMailer } from './connections.js';
import { installTemporalRuntime } from './runtime.js';
import { createWorker } from './run.js';

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker');
  installTemporalRuntime(log);
  const db = createDb(config.databaseUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  const mailer = createMailer(config.smtpUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({ connection, namespace: config.temporalNamespace, db, mailer, mailFrom: config.mailFrom, publicUrl: config.publicUrl, log, holidaysDir: config.holidaysDir });
  log.info({ temporalAddress: config.temporalAddress, namespace: config.temporalNamespace }, 'worker started');
  await worker.run();
  await connection.close();
  mailer.close();
  await db.destroy();
  log.info('worker stopped');
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
