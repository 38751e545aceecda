// Bearer tokens: random, shown once, kept only as a hash.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken } from '../infra/secrets.js';
import { ROLES, type Role } from '../services/access.js';
import type { Database } from '../schema/database.js';

export { ROLES };

export interface NewToken {
  id: string;
  token: string;
}

export async function createToken(
  db: Kysely<Database>,
  opts: { role: Role; partyId?: string; expiresAt?: Date; label?: string },
): Promise<NewToken> {
  if (!ROLES.includes(opts.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (opts.role === 'party' && !opts.partyId) throw new Error('--party is required for a party token');
  if (opts.role !== 'party' && opts.partyId) throw new Error('--party belongs only to a party token');
  if (
    opts.partyId &&
    !(await db.selectFrom('parties').select('id').where('id', '=', opts.partyId).executeTakeFirst())
  ) {
    throw new Error(`unknown party "${opts.partyId}"`);
  }
  const token = `sng_${randomBytes(32).toString('base64url')}`;
  const id = `tok_${randomUUID().slice(0, 8)}`;
  await db
    .insertInto('tokens')
    .values({
      id,
      token_hash: hashToken(token),
      role: opts.role,
      party_id: opts.partyId ?? null,
      label: opts.label ?? null,
      expires_at: opts.expiresAt ?? null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export async function listTokens(db: Kysely<Database>) {
  return db
    .selectFrom('tokens')
    .select(['id', 'role', 'party_id', 'label', 'expires_at', 'revoked_at', 'created_at'])
    .orderBy('created_at')
    .execute();
}

export async function revokeToken(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
