// A party's calendar subscriptions: a revocable secret link per subscription, kept only as a hash. Every feed has a
// lifetime, and ends with its maker's place: a token that is revoked or expired, a person no longer in the directory.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken } from '../infra/secrets.js';
import type { Database } from '../schema/database.js';
import { visibleParties, type Principal } from './access.js';
import { Refusal, notFound } from './errors.js';
import { findPerson, principalOf } from './people.js';
import { READ_ONLY } from '../domain/allowed.js';

/** How long a feed lives unless SINERGI_FEED_DAYS says otherwise. */
export const DEFAULT_FEED_DAYS = 180;
const DAY_MS = 86_400_000;

async function requireOwnOrAdmin(db: Kysely<Database>, principal: Principal, partyId: string): Promise<void> {
  if (principal.role === 'viewer') throw new Refusal(403, 'forbidden', READ_ONLY);
  const visible = await visibleParties(db, principal);
  if (visible && !visible.includes(partyId))
    throw new Refusal(403, 'forbidden', 'Token ini tidak boleh mengelola kalender pihak lain.');
  if (!(await db.selectFrom('parties').select('id').where('id', '=', partyId).executeTakeFirst()))
    throw notFound(`Pihak "${partyId}"`);
}

export interface NewFeed {
  id: string;
  url: string;
  expiresAt: string;
}

/** A new subscription link; the secret in it is shown only now. */
export async function createFeed(
  db: Kysely<Database>,
  principal: Principal,
  partyId: string,
  publicUrl: string,
  days = DEFAULT_FEED_DAYS,
): Promise<NewFeed> {
  await requireOwnOrAdmin(db, principal, partyId);
  const token = `cal_${randomBytes(24).toString('base64url')}`;
  const id = `feed_${randomUUID().slice(0, 8)}`;
  const expiresAt = new Date(Date.now() + days * DAY_MS);
  await db
    .insertInto('calendar_feeds')
    .values({
      id,
      party_id: partyId,
      token_hash: hashToken(token),
      revoked_at: null,
      created_by: principal.id,
      creator_kind: principal.kind,
      expires_at: expiresAt,
    })
    .execute();
  return {
    id,
    url: `${publicUrl}/v1/parties/${encodeURIComponent(partyId)}/calendar.ics?feed=${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Ends every subscription of the party, or only the one named; returns how many. */
export async function revokeFeeds(
  db: Kysely<Database>,
  principal: Principal,
  partyId: string,
  feedId?: string,
): Promise<number> {
  await requireOwnOrAdmin(db, principal, partyId);
  let query = db
    .updateTable('calendar_feeds')
    .set({ revoked_at: new Date() })
    .where('party_id', '=', partyId)
    .where('revoked_at', 'is', null);
  if (feedId !== undefined) query = query.where('id', '=', feedId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface FeedItem {
  id: string;
  createdAt: string;
  /** Who made it: a token's id or a person's e-mail address; the feed ends when they lose their place. */
  createdBy: string | null;
  creatorKind: 'token' | 'person' | null;
  expiresAt: string;
  ageDays: number;
}

/** The party's live subscriptions, oldest first, with their maker and end, so an old one can be noticed and revoked. */
export async function listFeeds(db: Kysely<Database>, principal: Principal, partyId: string): Promise<FeedItem[]> {
  await requireOwnOrAdmin(db, principal, partyId);
  return (await liveFeedsOf(db, [partyId])).get(partyId) ?? [];
}

/** The live feeds of these parties (those the caller may manage), for the calendar page. */
export async function liveFeedsOf(db: Kysely<Database>, partyIds: string[]): Promise<Map<string, FeedItem[]>> {
  const byParty = new Map<string, FeedItem[]>();
  if (partyIds.length === 0) return byParty;
  const rows = await db
    .selectFrom('calendar_feeds')
    .select(['id', 'party_id', 'created_at', 'created_by', 'creator_kind', 'expires_at'])
    .where('party_id', 'in', partyIds)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at')
    .execute();
  for (const r of rows) {
    const item: FeedItem = {
      id: r.id,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
      creatorKind: r.creator_kind,
      expiresAt: r.expires_at.toISOString(),
      ageDays: Math.floor((Date.now() - r.created_at.getTime()) / DAY_MS),
    };
    byParty.set(r.party_id, [...(byParty.get(r.party_id) ?? []), item]);
  }
  return byParty;
}

/** Whether the person who made a feed may still make it: in the directory, and seeing this party. */
async function personStillHolds(db: Kysely<Database>, email: string, partyId: string): Promise<boolean> {
  const person = await findPerson(db, email);
  if (!person || person.role === 'viewer') return false;
  const visible = await visibleParties(db, principalOf(person));
  return visible === null || visible.includes(partyId);
}

/**
 * Whether a feed token opens this party's calendar: it is known, not revoked, not expired, and its maker still
 * holds their place (a feed outlives neither its revocation, nor its lifetime, nor its maker's place).
 */
export async function feedOpens(db: Kysely<Database>, feedToken: string, partyId: string): Promise<boolean> {
  const feed = await db
    .selectFrom('calendar_feeds as f')
    .leftJoin('tokens as t', (join) => join.onRef('t.id', '=', 'f.created_by').on('f.creator_kind', '=', 'token'))
    .select([
      'f.party_id',
      'f.revoked_at',
      'f.expires_at',
      'f.created_by',
      'f.creator_kind',
      't.id as token_id',
      't.revoked_at as token_revoked_at',
      't.expires_at as token_expires_at',
    ])
    .where('f.token_hash', '=', hashToken(feedToken))
    .executeTakeFirst();
  const now = Date.now();
  if (!feed || feed.revoked_at || feed.party_id !== partyId || feed.expires_at.getTime() <= now) return false;
  if (feed.creator_kind === 'person') return feed.created_by !== null && personStillHolds(db, feed.created_by, partyId);
  const tokenEnded =
    feed.token_id !== null &&
    (feed.token_revoked_at !== null || (feed.token_expires_at !== null && feed.token_expires_at.getTime() <= now));
  return !tokenEnded;
}
