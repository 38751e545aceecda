// Sessions that can no longer be used and sign-in links past their time are deleted; live ones stay (real PostgreSQL).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOperator } from '../../services/people.js';
import {
  DEFAULT_SESSION_SETTINGS,
  endSession,
  forgetOldSessions,
  requestSignInLink,
  sessionPerson,
  startSession,
} from '../../services/sessions.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('session_sweep');
  await createOperator(t.db, { email: 'admin@sweep.test', name: 'Admin', role: 'admin' });
});
afterAll(async () => t?.drop());

it('deletes ended, idle and expired sessions and old sign-in links, and keeps the live ones', async () => {
  const settings = DEFAULT_SESSION_SETTINGS;
  const live = await startSession(t.db, 'admin@sweep.test', 'test', settings);
  const ended = await startSession(t.db, 'admin@sweep.test', 'test', settings);
  await endSession(t.db, ended);
  await startSession(t.db, 'admin@sweep.test', 'idle', settings);
  await t.db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(Date.now() - 9 * 3_600_000) })
    .where('user_agent', '=', 'idle')
    .execute();
  const mail = {
    from: 'Sinergi <sinergi@sweep.test>',
    publicUrl: 'http://sinergi.test',
    messageIdDomain: 'sweep.test',
  };
  await requestSignInLink(t.db, 'admin@sweep.test', 'nonce', settings, mail);
  await requestSignInLink(t.db, 'admin@sweep.test', 'nonce-old', { ...settings, linkMinutes: -1 }, mail);
  expect(await forgetOldSessions(t.db, settings)).toEqual({ sessions: 2, links: 1 });
  expect(await sessionPerson(t.db, live, settings)).toMatchObject({ email: 'admin@sweep.test' });
  expect(await t.db.selectFrom('sign_in_links').select('email').execute()).toHaveLength(1);
});
