// Turns an audience (parties and contact roles) into addresses, from the directory as it is now.
import { sql, type Kysely } from 'kysely';
import type { Audience } from '../../domain/notifications.js';
import type { ListedParty } from '../../domain/allowed.js';
import type { Contact } from '../../domain/types.js';
import type { Database } from '../../schema/database.js';

export interface DirectoryParty {
  id: string;
  name: string;
  timeZone: string;
  contacts: Contact[];
  parentId: string | null;
}

/**
 * The read `loadParties` makes. One list of keys, the parents looked up first: `id in (...) or id in (select ...)`
 * is planned as a scan of the whole directory (17,783 parties at national scale, once per append with e-mails).
 */
export function partiesAndAbove(db: Kysely<Database>, ids: string[]) {
  const wanted = [...new Set(ids)];
  return db
    .selectFrom('parties')
    .select(['id', 'name', 'time_zone', 'contacts', 'parent_id'])
    .where(
      sql<boolean>`id = any(${wanted}::text[] || array(select parent_id from parties where id = any(${wanted}::text[])
        and parent_id is not null))`,
    );
}

/** These parties and the parties above them (an OPD's Pemkab), as the directory lists them now. */
export async function loadParties(db: Kysely<Database>, ids: string[]): Promise<Map<string, DirectoryParty>> {
  if (ids.length === 0) return new Map();
  const rows = await partiesAndAbove(db, ids).execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, timeZone: r.time_zone, contacts: r.contacts, parentId: r.parent_id },
    ]),
  );
}

/** A party with the one above it, as `mayActByLink` reads them. */
export function listed(parties: Map<string, DirectoryParty>, id: string): ListedParty | undefined {
  const party = parties.get(id);
  const above = party?.parentId ? parties.get(party.parentId) : undefined;
  return party ? { contacts: party.contacts, ...(above ? { above } : {}) } : undefined;
}

/** One e-mail reaches at most this many addresses; a real audience (liaisons, heads) is a handful. */
export const MAX_RECIPIENTS = 50;

export function addressesOf(audience: Audience | undefined, parties: Map<string, DirectoryParty>): string[] {
  if (!audience) return [];
  const contacts = audience.partyIds.flatMap((id) => parties.get(id)?.contacts ?? []);
  const fromParties = contacts.filter((c) => audience.roles.includes(c.role)).map((c) => c.email);
  // A named person is e-mailed only while the directory lists them under the audience's party.
  const listedNow = new Set(contacts.map((c) => c.email.toLowerCase()));
  const named = (audience.emails ?? []).filter((e) => listedNow.has(e.toLowerCase()));
  return [...new Set([...named, ...fromParties].map((e) => e.toLowerCase()))];
}
