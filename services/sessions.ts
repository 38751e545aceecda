// Dashboard sessions and the e-mailed links that start them. Only hashes are stored: a session id lives in one
// cookie, a sign-in link in one e-mail, and the browser that asked for the link holds a nonce of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { hashToken } from '../infra/secrets.js';
import type { Database } from '../schema/database.js';
import { SIGN_IN_TEMPLATE } from '../activities/notifications/sign-in-queue.js';
import { findPerson, normal, peopleWithAddress, type Person } from './people.js';

export interface SessionSettings {
  /** How long a sign-in link works. */
  linkMinutes: number;
  /** A session unused this long ends. */
  idleHours: number;
  /** A session ends this long after it began, used or not. */
  lifetimeDays: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { linkMinutes: 15, idleHours: 8, lifetimeDays: 7 };

const secret = (): string => randomBytes(32).toString('base64url');

/** What a sign-in e-mail needs to be written: who sends it, where the link points, the Message-ID's domain. */
export interface SignInMail {
  from: string;
  publicUrl: string;
  messageIdDomain: string;
}

// domain/escape.ts in SQL: the name is read in the same statement that writes the e-mail (text content only).
const escapeSql = (name: RawBuilder<unknown>) =>
  sql`replace(replace(replace(${name}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * Asks for a sign-in link. For a person in the directory, the link (bound to the browser's nonce) and its e-mail
 * are written together into the outbox, which the worker sends from with its retries; for anyone else, nothing.
 * One statement either way, and no SMTP in the request: a known address answers as an unknown one does.
 */
export async function requestSignInLink(
  db: Kysely<Database>,
  email: string,
  browserNonce: string,
  settings: SessionSettings,
  mail: SignInMail,
): Promise<void> {
  const address = normal(email);
  const token = secret();
  const id = randomUUID();
  const url = `${mail.publicUrl}/masuk/tautan/${token}`;
  const after = [
    ',',
    '',
    'Untuk masuk ke Sinergi, buka tautan ini di peramban tempat Anda memintanya:',
    url,
    '',
    `Tautan berlaku ${settings.linkMinutes} menit dan hanya sekali. Bila Anda tidak memintanya, abaikan e-mail ini.`,
  ].join('\n');
  const htmlAfter =
    `,</p><p>Untuk masuk ke Sinergi, buka tautan ini di peramban tempat Anda memintanya:</p><p>
<a href="${url}">Masuk ke Sinergi</a></p>` +
    `<p>Tautan berlaku ${settings.linkMinutes} menit dan hanya sekali. Bila Anda tidak memintanya, abaikan e-mail ` +
    `ini.</p>`;
  await sql`
    with person as (${peopleWithAddress(address)}),
    link as (
      insert into sign_in_links (token_hash, email, browser_hash, expires_at, used_at)
      select ${hashToken(token)}, email, ${hashToken(browserNonce)},
        ${new Date(Date.now() + settings.linkMinutes * 60_000)}, null
      from person returning email)
    insert into notifications (id, agreement_id, template, to_addresses, cc_addresses, subject, text_body, html_body,
      ics, message_id, status)
    select ${id}, ${`sign-in:${address}`}, ${SIGN_IN_TEMPLATE}, array[l.email], '{}', 'Tautan masuk Sinergi',
      ${'Yth. '} || p.name || ${after}, ${'<p>Yth. '} || ${escapeSql(sql.ref('p.name'))} || ${htmlAfter}, null,
      ${`<sign-in-${id}@${mail.messageIdDomain}>`}, 'pending'
    from person p join link l on l.email = p.email`.execute(db);
}

export type LinkUse =
  | { ok: true; email: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'other_browser' };

/** Uses a link once, in the browser that asked for it. */
export async function useSignInLink(
  db: Kysely<Database>,
  token: string,
  browserNonce: string | undefined,
): Promise<LinkUse> {
  const tokenHash = hashToken(token);
  const used = await db
    .updateTable('sign_in_links')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .where('browser_hash', '=', hashToken(browserNonce ?? ''))
    .returning('email')
    .executeTakeFirst();
  if (used) return { ok: true, email: used.email };
  const row = await db
    .selectFrom('sign_in_links')
    .select(['used_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'other_browser' };
}

/** A new session for a person; the id is returned once, for the cookie. */
export async function startSession(
  db: Kysely<Database>,
  email: string,
  userAgent: string,
  settings: SessionSettings,
): Promise<string> {
  const id = secret();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(id),
      email,
      user_agent: userAgent.slice(0, 300),
      expires_at: new Date(Date.now() + settings.lifetimeDays * 86_400_000),
      ended_at: null,
    })
    .execute();
  return id;
}

/** The person behind a live session, as the directory lists them now; a session past its time, or of someone
 * no longer listed, ends here. */
export async function sessionPerson(
  db: Kysely<Database>,
  id: string,
  settings: SessionSettings,
): Promise<Person | undefined> {
  const idHash = hashToken(id);
  const row = await db
    .selectFrom('sessions')
    .select(['email', 'last_seen_at', 'expires_at'])
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = Date.now();
  const idle = now - row.last_seen_at.getTime() > settings.idleHours * 3_600_000;
  const person = idle || row.expires_at.getTime() <= now ? undefined : await findPerson(db, row.email);
  if (!person) {
    await endSession(db, id);
    return undefined;
  }
  // Written at most once a minute: a page view does not need its own write.
  if (now - row.last_seen_at.getTime() > 60_000)
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
  return person;
}

export async function endSession(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('id_hash', '=', hashToken(id))
    .where('ended_at', 'is', null)
    .execute();
}

export interface SessionItem {
  /** A short public handle: part of the stored hash, never the id itself. */
  handle: string;
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
}

const HANDLE = 16;

/** A person's live sessions, most recently used first. */
export async function listSessions(db: Kysely<Database>, email: string): Promise<SessionItem[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'user_agent', 'created_at', 'last_seen_at'])
    .where('email', '=', email)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    handle: r.id_hash.slice(0, HANDLE),
    userAgent: r.user_agent,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
  }));
}

export const handleOf = (id: string): string => hashToken(id).slice(0, HANDLE);

/** Ends one of a person's sessions by its handle, or all of them; returns how many ended. */
export async function endSessionsOf(db: Kysely<Database>, email: string, handle?: string): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('email', '=', email.toLowerCase())
    .where('ended_at', 'is', null);
  if (handle) q = q.where('id_hash', 'like', `${handle.replace(/[^0-9a-f]/g, '')}%`);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Deletes sessions that can no longer be used and sign-in links past their time; returns how many of each. */
export async function forgetOldSessions(
  db: Kysely<Database>,
  settings: SessionSettings,
  now = new Date(),
): Promise<{ sessions: number; links: number }> {
  const idle = new Date(now.getTime() - settings.idleHours * 3_600_000);
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idle), eb('ended_at', 'is not', null)]))
    .executeTakeFirst();
  const links = await db.deleteFrom('sign_in_links').where('expires_at', '<', now).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), links: Number(links.numDeletedRows) };
}
