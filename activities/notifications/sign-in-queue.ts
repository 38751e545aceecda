// Sign-in links leave from the same outbox as every other e-mail: the API writes the row in the request, and this
// queue in the worker sends it with the outbox's own delivery (sent once, its Message-ID kept), retrying with
// backoff while the SMTP server is away. A link older than its lifetime is not worth sending and is left.
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Database } from '../../schema/database.js';
import type { EngineMetrics } from '../metrics.js';
import { deliver, type DeliverySettings } from './deliver.js';

export const SIGN_IN_TEMPLATE = 'sign_in_link';

export interface SignInQueueDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  delivery: DeliverySettings;
  log: Logger;
  /** How long a sign-in link works: older e-mails are not sent. */
  linkMinutes: number;
  metrics?: EngineMetrics;
  /** How often the outbox is read for new sign-in e-mails. */
  everyMs?: number;
}

export interface SignInQueue {
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 15_000;

export function startSignInMailQueue(deps: SignInQueueDeps): SignInQueue {
  const notBefore = new Map<string, number>();
  let running: Promise<void> | undefined;
  let stopped = false;

  async function sendDue(): Promise<void> {
    const since = new Date(Date.now() - deps.linkMinutes * 60_000);
    const rows = await deps.db
      .selectFrom('notifications')
      .select(['id', 'attempts'])
      .where('template', '=', SIGN_IN_TEMPLATE)
      .where('status', '=', 'pending')
      .where('created_at', '>', since)
      .orderBy('created_at')
      .limit(100)
      .execute();
    for (const { id, attempts } of rows) {
      if (stopped) return;
      if ((notBefore.get(id) ?? 0) > Date.now()) continue;
      try {
        await deliver(deps.db, deps.mailer, deps.delivery, deps.log, id, deps.metrics);
        notBefore.delete(id);
      } catch {
        // deliver() has counted the attempt and logged why; wait longer each time.
        notBefore.set(id, Date.now() + Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts));
      }
    }
  }

  const timer = setInterval(() => {
    if (running) return;
    running = sendDue()
      .catch((err: unknown) =>
        deps.log.warn({ err: (err as Error).message }, 'sign-in e-mail queue could not read the outbox'),
      )
      .finally(() => {
        running = undefined;
      });
  }, deps.everyMs ?? 500);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
