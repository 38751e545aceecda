// The directory as the doors read it: parties with their hierarchy, time zone and contacts.
import type { Kysely } from 'kysely';
import type { ListedParty } from '../domain/allowed.js';
import type { Contact, Party } from '../domain/types.js';
import type { Principal } from './access.js';
import { Refusal, notFound } from './errors.js';
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

/** Who may change a party's contacts: an admin, or one of that party's own liaisons. */
export async function mayEditContacts(db: Kysely<Database>, principal: Principal, partyId: string): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (principal.kind !== 'person' || principal.partyId !== partyId) return false;
  const party = await db.selectFrom('parties').select('contacts').where('id', '=', partyId).executeTakeFirst();
  return party?.contacts.some((c) => c.role === 'liaison' && c.email.toLowerCase() === principal.id) ?? false;
}

/** Replaces a party's contacts; running agreements e-mail the new ones from their next e-mail on. */
export async function replaceContacts(db: Kysely<Database>, principal: Principal, partyId: string, contacts: Contact[]): Promise<Party> {
  if (!(await mayEditContacts(db, principal, partyId))) {
    throw new Refusal(403, 'forbidden', 'Hanya admin atau penghubung pihak ini yang boleh mengubah kontaknya.');
  }
  const row = await db.updateTable('parties').set({ contacts: JSON.stringify(contacts), updated_at: new Date() })
    .where('id', '=', partyId).returningAll().executeTakeFirst();
  if (!row) throw notFound(`Pihak "${partyId}"`);
  return toParty(row);
}
