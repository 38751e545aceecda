// The API's settings from the configuration: one mapping, for the API process and the local stack alike.
import type { Config } from '../config/env.js';
import type { AppDeps } from './app.js';

/** Everything but the connections, the logger and the metrics, which each process builds itself. */
export type AppSettings = Omit<AppDeps, 'db' | 'temporal' | 'log' | 'metrics'>;

export function appSettings(config: Readonly<Config>): AppSettings {
  return {
    publicUrl: config.publicUrl,
    rateLimitPerMinute: config.rateLimitPerMinute,
    corsOrigins: config.corsOrigins,
    trustProxy: config.trustProxy,
    authFailuresPerMinute: config.authFailuresPerMinute,
    idempotencyHours: config.idempotencyHours,
    maxUploadMb: config.maxUploadMb,
    feedDays: config.feedDays,
    reading: config.reading,
    mailFrom: config.mailFrom,
    sessions: config.sessions,
    signInRequestsPerMinute: config.signInRequestsPerMinute,
    ...(config.linkSecret ? { linkSecret: config.linkSecret } : {}),
    ...(config.draftTemplate ? { draftTemplate: config.draftTemplate } : {}),
    ...(config.tteTrustDir ? { tteTrustDir: config.tteTrustDir } : {}),
    ...(config.sso ? { sso: config.sso } : {}),
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  };
}
