// The real product for a test file: its own Temporal server, a PostgreSQL database, a loopback SMTP server,
// the worker with its real activities, and the API on a real socket.
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import proto from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { createEngineMetrics } from '../../activities/metrics.js';
import { startSignInMailQueue } from '../../activities/notifications/sign-in-queue.js';
import { buildApp } from '../../api/app.js';
import { DEFAULT_HOLIDAYS_DIR } from '../../config/env.js';
import { createMailer } from '../../infra/connections.js';
import { installTemporalRuntime } from '../../worker/runtime.js';
import { WORKFLOWS_PATH, createWorker } from '../../worker/run.js';
import { startMailSink, type MailSink } from '../../scripts/local/mail-sink.js';
import { temporalCli, temporalTestServer } from '../../scripts/local/binaries.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const MAIL_FROM = 'Sinergi <sinergi@sinergi.test>';
export const LINK_SECRET = 'test-link-secret-0123456789abcdef';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
  });
  return bundle;
}

export const quietLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
installTemporalRuntime(quietLog);

export interface Stack {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  sink: MailSink;
  worker: Worker;
  app: FastifyInstance;
  /** The worker's and API's metrics. */
  registry: Registry;
  baseUrl: string;
  workerRun: Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  timeSkipping?: boolean;
  holidaysDir?: string;
  linkTtlDays?: number;
  /** After this many attempts a failing activity counts as stuck (the product's default is 5). */
  stuckAfterAttempts?: number;
  /** Single sign-on against an OpenID provider the test runs. */
  sso?: { issuer: string; clientId: string; clientSecret: string; operators?: string[] };
  /** E-mails per agreement per wall-clock hour; off by default, as time-skipping runs years in seconds. */
  mailPerAgreementPerHour?: number;
  /** The worker's and API's logger (silent unless TEST_LOG_LEVEL is set). */
  log?: Logger;
  /** The largest document upload in MB (the product's default is 25). */
  maxUploadMb?: number;
  /** Sinergi's database of an earlier stack, kept: this stack neither creates nor drops it. */
  database?: TestDatabase;
  /** The CA certificates electronic signatures must chain to. */
  tteTrustDir?: string;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const log = opts.log ?? quietLog;
  // SINERGI_TEST_TEMPORAL=time-skipping: the shifted-clock runs (scripts/test-shifted-clock.mjs) need a server that
  // honours libfaketime; the dev server is static Go and keeps the real clock. Nothing skips time unless asked.
  const env =
    opts.timeSkipping || process.env.SINERGI_TEST_TEMPORAL === 'time-skipping'
      ? await TestWorkflowEnvironment.createTimeSkipping({
          server: { executable: { type: 'existing-path', path: temporalTestServer() } },
        })
      : await TestWorkflowEnvironment.createLocal({
          server: { executable: { type: 'existing-path', path: temporalCli() }, ip: '127.0.0.1' },
        });
  await registerSearchAttributes(env);
  const database = opts.database ?? (await createTestDatabase());
  const sink = await startMailSink(mkdtempSync(join(tmpdir(), 'sinergi-mail-')));
  const mailer = createMailer(`smtp://127.0.0.1:${sink.port}`);
  const registry = new Registry();
  const metrics = createEngineMetrics(registry);
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    db: database.db,
    mailer,
    mailFrom: MAIL_FROM,
    publicUrl: 'http://sinergi.test',
    log,
    workflowBundle: await workflowBundle(),
    metrics,
    ...(opts.stuckAfterAttempts ? { stuckAfterAttempts: opts.stuckAfterAttempts } : {}),
    mailPerAgreementPerHour: opts.mailPerAgreementPerHour ?? 0,
    holidaysDir: opts.holidaysDir ?? DEFAULT_HOLIDAYS_DIR,
    links: { secret: LINK_SECRET, ttlDays: opts.linkTtlDays ?? 14 },
  });
  const workerRun = worker.run();
  const signInMail = startSignInMailQueue({
    db: database.db,
    mailer,
    log,
    linkMinutes: 15,
    delivery: { from: MAIL_FROM, perAgreementPerHour: 0 },
  });
  const app = await buildApp({
    db: database.db,
    temporal: env.client,
    adminToken: ADMIN_TOKEN,
    log,
    linkSecret: LINK_SECRET,
    metrics: { registry },
    mailFrom: MAIL_FROM,
    signInRequestsPerMinute: 50,
    ...(opts.sso ? { sso: opts.sso } : {}),
    ...(opts.maxUploadMb ? { maxUploadMb: opts.maxUploadMb } : {}),
    ...(opts.tteTrustDir ? { tteTrustDir: opts.tteTrustDir } : {}),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    env,
    database,
    sink,
    worker,
    app,
    registry,
    baseUrl: address,
    workerRun,
    async stop() {
      await app.close();
      await signInMail.stop();
      worker.shutdown();
      await workerRun;
      mailer.close();
      await sink.stop();
      if (!opts.database) await database.drop();
      await env.teardown();
    },
  };
}

/** The workflow publishes these; the servers must know them, as the local stack and compose register them. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST: KEYWORD_LIST } =
    proto.temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService
    .addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: { SinergiStage: KEYWORD, SinergiInstrument: KEYWORD, SinergiParties: KEYWORD_LIST },
    })
    .catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
}

/** JSON over HTTP with the admin token unless told otherwise. */
export function http(baseUrl: string, token: string | null = ADMIN_TOKEN) {
  return async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** How much longer a wait may take in a slowed run (the shifted-clock runs set 3); 1 otherwise. */
const PATIENCE = Math.max(1, Number(process.env.SINERGI_TEST_PATIENCE ?? 1) || 1);

/** Waits until a condition holds, polling; fails with the label after the timeout. */
export async function eventually<T>(
  label: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs * PATIENCE;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
