// The directory as the doors read it: parties with their hierarchy, time zone and contacts.
import type { Kysely } from 'kysely';
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
