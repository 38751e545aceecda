// A party's calendar subscriptions: a revocable secret link per subscription, kept only as a hash.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken } from '../infra/secrets.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { Refusal, notFound } from './errors.js';

async function requireOwnOrAdmin(db: Kysely<Database>, principal: Principal, partyId: string): Promise<void> {
  if (principal.role === 'viewer') throw new Refusal(403, 'forbidden', 'Token viewer hanya boleh membaca.');
  const visible = await visibleParties(db, principal);
  if (visible && !visible.includes(partyId)) throw new Refusal(403, 'forbidden', 'Token ini tidak boleh mengelola kalender pihak lain.');
  if (!(await db.selectFrom('parties').select('id').where('id', '=', partyId).executeTakeFirst())) throw notFound(`Pihak "${partyId}"`);
}

/** A new subscription link; the secret in it is shown only now. */
export async function createFeed(db: Kysely<Database>, principal: Principal, partyId: string, publicUrl: string): Promise<{ id: string; url: string }> {
  await requireOwnOrAdmin(db, principal, partyId);
  const token = `cal_${randomBytes(24).toString('base64url')}`;
  const id = `feed_${randomUUID().slice(0, 8)}`;
  await db.insertInto('calendar_feeds').values({ id, party_id: partyId, token_hash: hashToken(token), revoked_at: null, created_by: principal.id }).execute();
  return { id, url: `${publicUrl}/v1/parties/${encodeURIComponent(partyId)}/calendar.ics?feed=${token}` };
}

/** Ends every subscription of the party; returns how many. */
export async function revokeFeeds(db: Kysely<Database>, principal: Principal, partyId: string): Promise<number> {
  await requireOwnOrAdmin(db, principal, partyId);
  const result = await db.updateTable('calendar_feeds').set({ revoked_at: new Date() })
    .where('party_id', '=', partyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface FeedItem {
  id: string;
  createdAt: string;
  /** The token that created it: the feed stops when that token is revoked or expires. */
  createdBy: string | null;
  ageDays: number;
}

/** The party's live subscriptions, oldest first, with their age, so an old one can be noticed and revoked. */
export async function listFeeds(db: Kysely<Database>, principal: Principal, partyId: string): Promise<FeedItem[]> {
  await requireOwnOrAdmin(db, principal, partyId);
  const rows = await db.selectFrom('calendar_feeds').select(['id', 'created_at', 'created_by'])
    .where('party_id', '=', partyId).where('revoked_at', 'is', null).orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id, createdAt: r.created_at.toISOString(), createdBy: r.created_by,
    ageDays: Math.floor((Date.now() - r.created_at.getTime()) / 86_400_000),
  }));
}

/**
 * Whether a feed token opens this party's calendar: it is known, not revoked, and the token that created it is
 * still valid (a feed outlives neither its revocation nor its creator's).
 */
export async function feedOpens(db: Kysely<Database>, feedToken: string, partyId: string): Promise<boolean> {
  const feed = await db.selectFrom('calendar_feeds as f')
    .leftJoin('tokens as t', 't.id', 'f.created_by')
    .select(['f.party_id', 'f.revoked_at', 't.id as token_id', 't.revoked_at as token_revoked_at', 't.expires_at as token_expires_at'])
    .where('f.token_hash', '=', hashToken(feedToken)).executeTakeFirst();
  if (!feed || feed.revoked_at || feed.party_id !== partyId) return false;
  const creatorEnded = feed.token_id !== null && (feed.token_revoked_at !== null || (feed.token_expires_at !== null && feed.token_expires_at.getTime() <= Date.now()));
  return !creatorEnded;
}
