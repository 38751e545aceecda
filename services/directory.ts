// The directory as the doors read it: parties with their hierarchy, time zone and contacts.
import type { Kysely } from 'kysely';
import type { ListedParty } from '../domain/allowed.js';
import type { Party } from '../domain/types.js';
import type { Database, PartyRow } from '../schema/database.js';

export type { Party };

export const toParty = (r: PartyRow): Party => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  ...(r.parent_id ? { parentId: r.parent_id } : {}),
  timeZone: r.time_zone,
  contacts: r.contacts,
});

export async function listParties(db: Kysely<Database>): Promise<Party[]> {
  return (await db.selectFrom('parties').selectAll().orderBy('name').execute()).map(toParty);
}

/** A party with the party above it, as the directory lists them now (who may act for it from a link). */
export async function listedParty(db: Kysely<Database>, partyId: string): Promise<ListedParty | undefined> {
  const party = await db.selectFrom('parties').select(['contacts', 'parent_id']).where('id', '=', partyId).executeTakeFirst();
  if (!party) return undefined;
  const above = party.parent_id
    ? await db.selectFrom('parties').select('contacts').where('id', '=', party.parent_id).executeTakeFirst()
    : undefined;
  return { contacts: party.contacts, ...(above ? { above } : {}) };
}
