// Every setting the product reads, read once from the environment, checked, and frozen.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretProblem } from './secrets.js';
import { LOCAL_STACK_PORTS } from './ports.js';

/** Threads of the document pool unless SINERGI_DOCUMENT_THREADS says: one core is left to the event loop. */
export const DEFAULT_DOCUMENT_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

export const DEFAULT_HOLIDAYS_DIR = fileURLToPath(new URL('./holidays/', import.meta.url));

export interface Config {
  dataDir: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  smtpUrl: string;
  mailFrom: string;
  host: string;
  port: number;
  publicUrl: string;
  adminToken?: string;
  logLevel: string;
  holidaysDir: string;
  /** Requests per minute per token (or per address without one); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; empty means CORS is off. */
  corsOrigins: string[];
  /** Refused tokens a minute per client address before it gets 429; 0 turns the count off. */
  authFailuresPerMinute: number;
  /** Which proxies are trusted to name the client in X-Forwarded-For: false, true, or their addresses. */
  trustProxy: boolean | string;
  /** The worker's own /metrics port (the API serves /metrics on its port). */
  metricsPort: number;
  /** Where the worker's /metrics listens: loopback unless a scraper elsewhere needs it. */
  metricsHost: string;
  /** A bearer token a scraper sends for /metrics; without it /metrics answers only on loopback. */
  metricsToken?: string;
  /** Loopback port of the Temporal SDK's metrics exporter; 0 turns it off. */
  temporalMetricsPort: number;
  /** Signs the links in e-mails (HMAC); the local stack keeps one in its data folder. */
  linkSecret?: string;
  linkTtlDays: number;
  /** After this many attempts a failing activity is logged and counted as stuck (`sinergi_activities_stuck`). */
  stuckAfterAttempts: number;
  /**
   * How many agreements' workflows a worker keeps in memory between their tasks; the SDK's own default when unset.
   * An agreement waiting on its timers needs no place here: it is replayed from its history when it wakes.
   */
  workflowCacheSize?: number;
  /** Signing in by e-mail: how long a link works, when an unused session ends, how long any session lasts. */
  sessions: { linkMinutes: number; idleHours: number; lifetimeDays: number };
  /** Sign-in link requests a minute, per address and per client address. */
  signInRequestsPerMinute: number;
  /** Single sign-on: all three of issuer, client id and client secret, or none; only `operators` may sign in as one. */
  sso?: { issuer: string; clientId: string; clientSecret: string; operators: string[] };
  /** Days a calendar feed lives before it must be made again. */
  feedDays: number;
  /** The document pool: threads, a job's wall-clock seconds and heap MB, the XML MB a parser may see. */
  reading: { threads: number; jobSeconds: number; jobMb: number; maxTextXmlMb: number };
  /** Hours a first answer is replayed to retries with the same Idempotency-Key. */
  idempotencyHours: number;
  /** E-mails one agreement may send in an hour; the rest wait for room. 0 turns the limit off. */
  mailPerAgreementPerHour: number;
  /** The largest document upload, in MB. */
  maxUploadMb: number;
  /** The JSON template of generated first drafts; empty: config/templates/draf-kesepakatan.json. */
  draftTemplate: string;
  /** The CA certificates electronic signatures must chain to (PEM or DER files); empty: no electronic signing. */
  tteTrustDir: string;
  /** Path of a prebuilt workflow bundle (the Docker image has one). */
  workflowBundlePath?: string;
  local: { postgresPort: number; temporalPort: number; temporalUiPort: number; smtpPort: number };
}

/** Variables only the local stack (`npm start`) reads: the ports of what it starts itself. */
export const LOCAL_STACK_VARS = [
  'SINERGI_PG_PORT',
  'SINERGI_TEMPORAL_PORT',
  'SINERGI_TEMPORAL_UI_PORT',
  'SINERGI_SMTP_PORT',
];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`);
  return n;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number (0 or more), got "${raw}"`);
  return n;
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

/** `false` (the default: the client is the peer), `true` (any proxy), or a comma-separated list of addresses/CIDRs. */
function trustProxy(value: string): boolean | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (!/^[0-9A-Fa-f.:/, ]+$/.test(value))
    throw new ConfigError(`SINERGI_TRUST_PROXY must be true, false or proxy addresses, got "${value}"`);
  return value;
}

/** A secret from the environment: unset, or long and not written anywhere public. */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const problem = secretProblem(name, value);
  if (problem) throw new ConfigError(problem);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string, protocols: string[]): string {
  const value = text(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  return value.replace(/\/$/, '');
}

function sso(env: NodeJS.ProcessEnv): { sso?: Config['sso'] } {
  const issuer = text(env, 'SINERGI_OIDC_ISSUER', '');
  const clientId = text(env, 'SINERGI_OIDC_CLIENT_ID', '');
  const clientSecret = text(env, 'SINERGI_OIDC_CLIENT_SECRET', '');
  const set = [issuer, clientId, clientSecret].filter(Boolean).length;
  if (set === 0) return {};
  if (set < 3)
    throw new ConfigError(
      'SINERGI_OIDC_ISSUER, SINERGI_OIDC_CLIENT_ID and SINERGI_OIDC_CLIENT_SECRET go together: set all three or none',
    );
  const checked = url({ SINERGI_OIDC_ISSUER: issuer }, 'SINERGI_OIDC_ISSUER', issuer, ['https:', 'http:']);
  // Whoever answers for the issuer decides who signs in: plain http only on this machine (tests).
  if (new URL(checked).protocol === 'http:' && !isLoopback(checked)) {
    throw new ConfigError(`SINERGI_OIDC_ISSUER must use https: (plain http only on loopback), got "${issuer}"`);
  }
  const operators = text(env, 'SINERGI_OIDC_OPERATORS', '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  return { sso: { issuer: checked, clientId, clientSecret, operators } };
}

function isLoopback(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The address people reach Sinergi at. In production (NODE_ENV=production) it must be https, or e-mailed links
 * travel in clear and cookies are never Secure; SINERGI_ALLOW_HTTP_PUBLIC_URL=true says so explicitly.
 */
function publicUrl(env: NodeJS.ProcessEnv, apiPort: number): string {
  const value = url(env, 'SINERGI_PUBLIC_URL', `http://localhost:${apiPort}`, ['http:', 'https:']);
  const production = env.NODE_ENV === 'production';
  if (production && new URL(value).protocol !== 'https:' && env.SINERGI_ALLOW_HTTP_PUBLIC_URL !== 'true') {
    throw new ConfigError(
      `SINERGI_PUBLIC_URL must use https: in production, got "${value}" ` +
        '(set SINERGI_ALLOW_HTTP_PUBLIC_URL=true only where people reach Sinergi over plain http on purpose)',
    );
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const local = {
    postgresPort: port(env, 'SINERGI_PG_PORT', LOCAL_STACK_PORTS.postgres),
    temporalPort: port(env, 'SINERGI_TEMPORAL_PORT', LOCAL_STACK_PORTS.temporal),
    temporalUiPort: port(env, 'SINERGI_TEMPORAL_UI_PORT', LOCAL_STACK_PORTS.temporalUi),
    smtpPort: port(env, 'SINERGI_SMTP_PORT', LOCAL_STACK_PORTS.smtp),
  };
  const apiPort = port(env, 'PORT', LOCAL_STACK_PORTS.api);
  const adminToken = secret(env, 'SINERGI_ADMIN_TOKEN');
  const linkSecret = secret(env, 'SINERGI_LINK_SECRET');
  const metricsToken = secret(env, 'SINERGI_METRICS_TOKEN');
  return Object.freeze({
    dataDir: resolve(text(env, 'SINERGI_DATA_DIR', '.data')),
    databaseUrl: url(env, 'DATABASE_URL', `postgres://postgres:sinergi@127.0.0.1:${local.postgresPort}/sinergi`, [
      'postgres:',
      'postgresql:',
    ]),
    temporalAddress: text(env, 'TEMPORAL_ADDRESS', `127.0.0.1:${local.temporalPort}`),
    temporalNamespace: text(env, 'TEMPORAL_NAMESPACE', 'default'),
    smtpUrl: url(env, 'SMTP_URL', `smtp://127.0.0.1:${local.smtpPort}`, ['smtp:', 'smtps:']),
    mailFrom: text(env, 'MAIL_FROM', 'Sinergi <sinergi@sinergi.local>'),
    host: text(env, 'HOST', '127.0.0.1'),
    port: apiPort,
    publicUrl: publicUrl(env, apiPort),
    ...(adminToken ? { adminToken } : {}),
    logLevel: text(env, 'LOG_LEVEL', 'info'),
    holidaysDir: resolve(text(env, 'SINERGI_HOLIDAYS_DIR', DEFAULT_HOLIDAYS_DIR)),
    rateLimitPerMinute: count(env, 'SINERGI_RATE_LIMIT', 600),
    authFailuresPerMinute: count(env, 'SINERGI_AUTH_FAILURES_PER_MINUTE', 20),
    trustProxy: trustProxy(text(env, 'SINERGI_TRUST_PROXY', 'false')),
    corsOrigins: text(env, 'SINERGI_CORS_ORIGINS', '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    metricsPort: port(env, 'SINERGI_METRICS_PORT', LOCAL_STACK_PORTS.metrics),
    metricsHost: text(env, 'SINERGI_METRICS_HOST', '127.0.0.1'),
    ...(metricsToken ? { metricsToken } : {}),
    temporalMetricsPort: port(env, 'SINERGI_TEMPORAL_METRICS_PORT', LOCAL_STACK_PORTS.temporalMetrics),
    ...(env.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: env.WORKFLOW_BUNDLE_PATH } : {}),
    ...(linkSecret ? { linkSecret } : {}),
    linkTtlDays: count(env, 'SINERGI_LINK_TTL_DAYS', 14),
    stuckAfterAttempts: Math.max(2, count(env, 'SINERGI_STUCK_AFTER_ATTEMPTS', 5)),
    ...(env.SINERGI_WORKFLOW_CACHE_SIZE ? { workflowCacheSize: count(env, 'SINERGI_WORKFLOW_CACHE_SIZE', 0) } : {}),
    sessions: {
      linkMinutes: Math.max(1, count(env, 'SINERGI_SIGN_IN_LINK_MINUTES', 15)),
      idleHours: Math.max(1, count(env, 'SINERGI_SESSION_IDLE_HOURS', 8)),
      lifetimeDays: Math.max(1, count(env, 'SINERGI_SESSION_DAYS', 7)),
    },
    signInRequestsPerMinute: count(env, 'SINERGI_SIGN_IN_REQUESTS_PER_MINUTE', 5),
    ...sso(env),
    feedDays: Math.max(1, count(env, 'SINERGI_FEED_DAYS', 180)),
    reading: {
      threads: Math.max(1, count(env, 'SINERGI_DOCUMENT_THREADS', DEFAULT_DOCUMENT_THREADS)),
      jobSeconds: Math.max(1, count(env, 'SINERGI_DOCUMENT_JOB_SECONDS', 20)),
      jobMb: Math.max(32, count(env, 'SINERGI_DOCUMENT_JOB_MB', 256)),
      maxTextXmlMb: Math.max(1, count(env, 'SINERGI_MAX_TEXT_XML_MB', 8)),
    },
    idempotencyHours: Math.max(1, count(env, 'SINERGI_IDEMPOTENCY_HOURS', 24)),
    mailPerAgreementPerHour: count(env, 'SINERGI_MAIL_PER_AGREEMENT_PER_HOUR', 60),
    maxUploadMb: Math.max(1, count(env, 'SINERGI_MAX_UPLOAD_MB', 25)),
    draftTemplate: text(env, 'SINERGI_DRAFT_TEMPLATE', ''),
    tteTrustDir: text(env, 'SINERGI_TTE_TRUST_DIR', ''),
    local,
  });
}
