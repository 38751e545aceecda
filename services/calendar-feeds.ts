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
  await db.insertInto('calendar_feeds').values({ id, party_id: partyId, token_hash: hashToken(token), revoked_at: null }).execute();
  return { id, url: `${publicUrl}/v1/parties/${encodeURIComponent(partyId)}/calendar.ics?feed=${token}` };
}

/** Ends every subscription of the party; returns how many. */
export async function revokeFeeds(db: Kysely<Database>, principal: Principal, partyId: string): Promise<number> {
  await requireOwnOrAdmin(db, principal, partyId);
  const result = await db.updateTable('calendar_feeds').set({ revoked_at: new Date() })
    .where('party_id', '=', partyId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
