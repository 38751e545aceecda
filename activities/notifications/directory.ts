// Turns an audience (parties and contact roles) into addresses, from the directory as it is now.
import type { Kysely } from 'kysely';
import type { Audience } from '../../domain/notifications.js';
import type { Contact } from '../../domain/types.js';
import type { Database } from '../../schema/database.js';

export interface DirectoryParty {
  id: string;
  name: string;
  timeZone: string;
  contacts: Contact[];
}

export async function loadParties(db: Kysely<Database>, ids: string[]): Promise<Map<string, DirectoryParty>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('parties').select(['id', 'name', 'time_zone', 'contacts']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, timeZone: r.time_zone, contacts: r.contacts as Contact[] }]));
}

export function addressesOf(audience: Audience | undefined, parties: Map<string, DirectoryParty>): string[] {
  if (!audience) return [];
  const fromParties = audience.partyIds.flatMap((id) =>
    (parties.get(id)?.contacts ?? []).filter((c) => audience.roles.includes(c.role)).map((c) => c.email),
  );
  return [...new Set([...(audience.emails ?? []), ...fromParties].map((e) => e.toLowerCase()))];
}
