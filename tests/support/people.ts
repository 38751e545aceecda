// A signed-in person for tests that are not about signing in: a session started as the e-mail link would start it.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { formTokenFor } from '../../api/web/csrf.js';
import type { Database } from '../../schema/database.js';
import { createOperator } from '../../services/people.js';
import { DEFAULT_SESSION_SETTINGS, startSession } from '../../services/sessions.js';

export const ADMIN_EMAIL = 'admin@sinergi.test';

/** A session id for a directory contact, or for an operator (created here) when `operator` is given. */
export async function sessionOf(db: Kysely<Database>, email: string, operator?: 'admin' | 'viewer'): Promise<string> {
  if (operator)
    await createOperator(db, { email, name: operator === 'admin' ? 'Admin Sinergi' : 'Peninjau', role: operator });
  return startSession(db, email.toLowerCase(), 'test', DEFAULT_SESSION_SETTINGS);
}

export const adminSession = (db: Kysely<Database>): Promise<string> => sessionOf(db, ADMIN_EMAIL, 'admin');

/** A dashboard form as a browser posts it, in a session, with that session's form token. */
export const postForm = (app: FastifyInstance, session: string, url: string, fields: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams({ ...fields, csrf: formTokenFor(session) }).toString(),
    headers: { cookie: `sinergi_sesi=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
