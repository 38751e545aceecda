// The worker's settings from the configuration: one mapping, for the worker process and the local stack alike.
import type { Config } from '../config/env.js';
import type { WorkerDeps } from './run.js';

/** Everything but the connections, the logger and the metrics, which each process builds itself. */
export type WorkerSettings = Omit<WorkerDeps, 'connection' | 'db' | 'mailer' | 'log' | 'metrics'>;

export function workerSettings(config: Readonly<Config>): WorkerSettings {
  return {
    namespace: config.temporalNamespace,
    mailFrom: config.mailFrom,
    publicUrl: config.publicUrl,
    holidaysDir: config.holidaysDir,
    stuckAfterAttempts: config.stuckAfterAttempts,
    mailPerAgreementPerHour: config.mailPerAgreementPerHour,
    ...(config.workflowCacheSize !== undefined ? { maxCachedWorkflows: config.workflowCacheSize } : {}),
    ...(config.linkSecret ? { links: { secret: config.linkSecret, ttlDays: config.linkTtlDays } } : {}),
    ...(config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : {}),
  };
}
