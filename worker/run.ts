// Builds the worker over connections its caller made: the entry point, the local stack, or a test.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../activities/index.js';
import type { EngineMetrics } from '../activities/metrics.js';
import { messageIdDomain } from '../infra/connections.js';
import type { LinkSettings } from '../infra/links.js';
import type { Database } from '../schema/database.js';
import { TASK_QUEUE } from '../workflows/messages.js';

// The TypeScript source when run through tsx, the compiled file when run from dist/.
const workflowsEntry = (ext: string) => fileURLToPath(new URL(`../workflows/index.${ext}`, import.meta.url));
export const WORKFLOWS_PATH = existsSync(workflowsEntry('ts')) ? workflowsEntry('ts') : workflowsEntry('js');

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  db: Kysely<Database>;
  mailer: Transporter;
  mailFrom: string;
  publicUrl: string;
  log: Logger;
  holidaysDir: string;
  metrics?: EngineMetrics;
  links?: LinkSettings;
  /** After this many attempts a failing activity is reported as stuck. */
  stuckAfterAttempts?: number;
  mailPerAgreementPerHour?: number;
  /** A prebuilt bundle (production, tests); without it the worker bundles the workflows at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Workflows kept in memory between tasks (SINERGI_WORKFLOW_CACHE_SIZE); the SDK's default when unset. */
  maxCachedWorkflows?: number;
  taskQueue?: string;
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activities = createActivities({
    db: deps.db,
    mailer: deps.mailer,
    mail: {
      from: deps.mailFrom,
      messageIdDomain: messageIdDomain(deps.mailFrom),
      publicUrl: deps.publicUrl,
      ...(deps.links ? { links: deps.links } : {}),
    },
    log: deps.log,
    holidaysDir: deps.holidaysDir,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.stuckAfterAttempts ? { stuckAfterAttempts: deps.stuckAfterAttempts } : {}),
    ...(deps.mailPerAgreementPerHour !== undefined ? { mailPerAgreementPerHour: deps.mailPerAgreementPerHour } : {}),
  });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue ?? TASK_QUEUE,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
    // On shutdown, running activities get this long to finish before their tasks go back to the server.
    shutdownGraceTime: '20 seconds',
  });
}
