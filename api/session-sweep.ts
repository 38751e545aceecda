// Sessions and sign-in links that can no longer be used are deleted now and then: the tables stay small, and
// nothing about an old sign-in outlives its use.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { forgetOldSessions, type SessionSettings } from '../services/sessions.js';

const SWEEP_EVERY_MS = 15 * 60_000;

export function installSessionSweep(app: FastifyInstance, db: Kysely<Database>, settings: SessionSettings): void {
  const sweep = async () => {
    const removed = await forgetOldSessions(db, settings);
    if (removed.sessions + removed.links > 0) app.log.info(removed, 'old sessions and sign-in links removed');
  };
  const timer = setInterval(
    () => void sweep().catch((err: Error) => app.log.warn({ err: err.message }, 'session sweep failed')),
    SWEEP_EVERY_MS,
  );
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
