// The directory as the doors read it: parties with their hierarchy, time zone and contacts.
import type { Kysely } from 'kysely';
import type { ListedParty } from '../domain/allowed.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE, type Contact, type Party, type PartyKind, type TimeZone } from '../domain/types.js';
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

/** A new party, as /v1 and the directory page take it (checked by the /v1 schema first). */
export interface NewParty {
  id?: string;
  name: string;
  kind: PartyKind;
  parentId?: string;
  timeZone?: TimeZone;
  contacts: Contact[];
}
export type PartyChange = Partial<Pick<NewParty, 'name' | 'timeZone' | 'contacts'>> & { parentId?: string | null };

function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new Refusal(403, 'forbidden', 'Hanya admin yang boleh melakukan ini.');
}

async function requireParent(db: Kysely<Database>, parentId: string | undefined | null, selfId: string): Promise<void> {
  if (!parentId) return;
  if (parentId === selfId) throw new Refusal(400, 'invalid_parent', 'Sebuah pihak tidak dapat menjadi induk dirinya sendiri.', 'parentId');
  const parent = await db.selectFrom('parties').select('id').where('id', '=', parentId).executeTakeFirst();
  if (!parent) throw new Refusal(400, 'unknown_party', `Pihak induk "${parentId}" tidak dikenal.`, 'parentId');
}

/** Adds a party to the directory (admins only); an id already taken is a 409 naming `id`. */
export async function registerParty(db: Kysely<Database>, principal: Principal, input: NewParty): Promise<Party> {
  requireAdmin(principal);
  const id = input.id ?? randomUUID();
  await requireParent(db, input.parentId, id);
  const inserted = await db.insertInto('parties').values({
    id, name: input.name, kind: input.kind, parent_id: input.parentId ?? null,
    time_zone: input.timeZone ?? DEFAULT_TIME_ZONE, contacts: JSON.stringify(input.contacts), updated_at: new Date(),
  }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
  if (!inserted) throw new Refusal(409, 'id_taken', `Pihak dengan id "${id}" sudah ada.`, 'id');
  return toParty(inserted);
}

/** Changes a party (admins only); running agreements read the change from their next e-mail on. */
export async function updateParty(db: Kysely<Database>, principal: Principal, id: string, change: PartyChange): Promise<Party> {
  requireAdmin(principal);
  await requireParent(db, change.parentId, id);
  const updated = await db.updateTable('parties').set({
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.parentId !== undefined ? { parent_id: change.parentId } : {}),
    ...(change.timeZone !== undefined ? { time_zone: change.timeZone } : {}),
    ...(change.contacts !== undefined ? { contacts: JSON.stringify(change.contacts) } : {}),
    updated_at: new Date(),
  }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!updated) throw notFound(`Pihak "${id}"`);
  return toParty(updated);
}
