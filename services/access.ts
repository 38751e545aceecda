// Who is asking, and what they may see: admin and viewer see everything; a party its own party and those under it.
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../domain/commands.js';
import type { Database } from '../schema/database.js';
import { Refusal, notFound } from './errors.js';
import type { Stage } from '../domain/types.js';
import { mayActFor } from '../domain/allowed.js';

export type Role = 'admin' | 'party' | 'viewer';
export const ROLES: Role[] = ['admin', 'party', 'viewer'];

export interface Principal extends Actor {
  kind: 'token' | 'person';
  role: Role;
}

/** null means every agreement. */
export async function visibleParties(db: Kysely<Database>, principal: Principal): Promise<string[] | null> {
  if (principal.role !== 'party') return null;
  if (!principal.partyId) return [];
  const under = await db.selectFrom('parties').select('id').where('parent_id', '=', principal.partyId).execute();
  return [principal.partyId, ...under.map((r) => r.id)];
}

export interface AgreementAccess {
  id: string;
  stage: Stage;
  partyIds: string[];
  initiatorId: string;
  /**
   * Set when the principal sees the agreement only because its party (an OPD) owns follow-ups in it: those
   * parties. It may read the agreement and close or comment on its own follow-ups (domain/allowed.ts).
   */
  followUpsOnly?: string[];
}

/** The agreement's row if this principal may see it; an agreement it may not see is "not found". */
export async function loadVisibleAgreement(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
): Promise<AgreementAccess> {
  const initiator = sql<string>`(select p->>'partyId' from json_array_elements(view->'parties') p
    where p->>'role' = 'initiator' limit 1)`;
  const row = await db
    .selectFrom('agreements')
    .select(['id', 'stage', 'party_ids', initiator.as('initiator_id')])
    .where('id', '=', id)
    .executeTakeFirst();
  const visible = await visibleParties(db, principal);
  if (!row) throw notFound(`Kesepakatan "${id}"`);
  const access = { id: row.id, stage: row.stage, partyIds: row.party_ids, initiatorId: row.initiator_id };
  if (!visible || row.party_ids.some((p) => visible.includes(p))) return access;
  // An OPD that owns a follow-up reads the agreement it belongs to (its e-mail links there); asked only then.
  const owners = await db
    .selectFrom(
      sql<{ owner: string }>`(select distinct fu->>'ownerPartyId' as owner
    from agreements a, json_array_elements(a.view->'followUps') fu where a.id = ${id})`.as('o'),
    )
    .select('owner')
    .execute();
  const owning = owners.map((o) => o.owner).filter((p) => visible.includes(p));
  if (owning.length === 0) throw notFound(`Kesepakatan "${id}"`);
  return { ...access, followUpsOnly: owning };
}

/** Reviews and signing are done by a party only for its own party. */
export function requireOwnParty(principal: Principal, partyId: string, field: string): void {
  if (!mayActFor(principal, partyId)) {
    throw new Refusal(
      403,
      'forbidden',
      `Token ini hanya boleh bertindak atas nama pihak "${principal.partyId ?? ''}".`,
      field,
    );
  }
}
