// The directory as the doors read it: parties with their hierarchy, time zone and contacts.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ListedParty } from '../domain/allowed.js';
import slugify from 'slugify';
import { DEFAULT_TIME_ZONE, type Contact, type Party, type PartyKind, type TimeZone } from '../domain/types.js';
import { templateProblem } from '../domain/numbering.js';
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
  ...(r.number_template ? { numberTemplate: r.number_template } : {}),
});

export async function listParties(db: Kysely<Database>): Promise<Party[]> {
  return (await db.selectFrom('parties').selectAll().orderBy('name').execute()).map(toParty);
}

/** A party with the party above it, as the directory lists them now (who may act for it from a link). */
export async function listedParty(db: Kysely<Database>, partyId: string): Promise<ListedParty | undefined> {
  const party = await db
    .selectFrom('parties')
    .select(['contacts', 'parent_id'])
    .where('id', '=', partyId)
    .executeTakeFirst();
  if (!party) return undefined;
  const above = party.parent_id
    ? await db.selectFrom('parties').select('contacts').where('id', '=', party.parent_id).executeTakeFirst()
    : undefined;
  return { contacts: party.contacts, ...(above ? { above } : {}) };
}

/**
 * A party and every party under it in the directory (a Kanwil's UPTs, a Pemda's OPDs): what a `partyId` filter
 * means on the list, the overview, the exports and the follow-ups (API.md).
 */
export async function partyAndBelow(db: Kysely<Database>, partyId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id from ${partyTree(partyId)}`.execute(db);
  return rows.map((r) => r.id);
}

/** The same tree as a subquery with one column, `id`, for a statement that reads by it in the same round trip. */
export function partyTree(partyId: string): RawBuilder<unknown> {
  return sql`(with recursive tree(id) as (
      select ${partyId}::text union select p.id from parties p join tree t on p.parent_id = t.id)
    select id from tree) as tree`;
}

/** Who may change a party's contacts: an admin, or one of that party's own liaisons. */
export async function mayEditContacts(db: Kysely<Database>, principal: Principal, partyId: string): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (principal.kind !== 'person' || principal.partyId !== partyId) return false;
  const party = await db.selectFrom('parties').select('contacts').where('id', '=', partyId).executeTakeFirst();
  return party?.contacts.some((c) => c.role === 'liaison' && c.email.toLowerCase() === principal.id) ?? false;
}

/** Another party that already lists one of these addresses, with the field of the first such contact. */
export interface AddressHeldElsewhere {
  field: string;
  email: string;
  partyId: string;
  partyName: string;
}

export async function addressesHeldElsewhere(
  db: Kysely<Database>,
  partyId: string,
  contacts: Contact[],
): Promise<AddressHeldElsewhere[]> {
  const wanted = [...new Set(contacts.map((c) => c.email.toLowerCase()))];
  if (wanted.length === 0) return [];
  const rows = await sql<{ id: string; name: string; email: string }>`
    select p.id, p.name, lower(c->>'email') as email
    from parties p, jsonb_array_elements(p.contacts) c
    where p.id <> ${partyId} and lower(c->>'email') in (${sql.join(wanted)})
    order by p.id`.execute(db);
  return rows.rows.map((r) => ({
    field: `contacts[${contacts.findIndex((c) => c.email.toLowerCase() === r.email)}].email`,
    email: r.email,
    partyId: r.id,
    partyName: r.name,
  }));
}

/**
 * An e-mail address belongs to one party: it decides whom a person acts for when they sign in. Anyone but an admin
 * is refused an address another party lists; an admin's write moves it, and the move is recorded.
 */
async function claimAddresses(
  tx: Kysely<Database>,
  principal: Principal,
  partyId: string,
  contacts: Contact[],
): Promise<void> {
  const held = await addressesHeldElsewhere(tx, partyId, contacts);
  const first = held[0];
  if (!first) return;
  if (principal.role !== 'admin') {
    throw new Refusal(
      409,
      'email_taken',
      `Alamat ${first.email} sudah tercatat sebagai kontak ${first.partyName}; satu alamat ` +
        'hanya untuk satu pihak. Minta admin memindahkannya bila orang ini sekarang bertugas di sini.',
      first.field,
    );
  }
  for (const h of held) {
    await sql`update parties set contacts = coalesce((select jsonb_agg(c) from jsonb_array_elements(contacts) c
      where lower(c->>'email') <> ${h.email}), '[]'::jsonb), updated_at = now() where id = ${h.partyId}`.execute(tx);
    await tx
      .insertInto('contact_moves')
      .values({ email: h.email, from_party_id: h.partyId, to_party_id: partyId, moved_by: principal.id })
      .execute();
  }
}

/** Replaces a party's contacts; running agreements e-mail the new ones from their next e-mail on. */
export async function replaceContacts(
  db: Kysely<Database>,
  principal: Principal,
  partyId: string,
  contacts: Contact[],
): Promise<Party> {
  if (!(await mayEditContacts(db, principal, partyId))) {
    throw new Refusal(403, 'forbidden', 'Hanya admin atau penghubung pihak ini yang boleh mengubah kontaknya.');
  }
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('parties')
      .set({ contacts: JSON.stringify(contacts), updated_at: new Date() })
      .where('id', '=', partyId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`Pihak "${partyId}"`);
    await claimAddresses(tx, principal, partyId, contacts);
    return toParty(row);
  });
}

/** A new party, as /v1 and the directory page take it (checked by the /v1 schema first). */
export interface NewParty {
  id?: string;
  name: string;
  kind: PartyKind;
  parentId?: string;
  timeZone?: TimeZone;
  contacts: Contact[];
  numberTemplate?: string;
}
export type PartyChange = Partial<Pick<NewParty, 'name' | 'timeZone' | 'contacts'>> & {
  parentId?: string | null;
  numberTemplate?: string | null;
};

function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new Refusal(403, 'forbidden', 'Hanya admin yang boleh melakukan ini.');
}

function requireUsableTemplate(template: string | null | undefined): void {
  const problem = template ? templateProblem(template) : undefined;
  if (problem) throw new Refusal(400, 'invalid_number_template', problem, 'numberTemplate');
}

/** A party's number template is its own office's: its liaisons may change it, as an admin may. */
async function requireMayChange(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  change: PartyChange,
): Promise<void> {
  const onlyTemplate = Object.keys(change).every((k) => k === 'numberTemplate');
  if (onlyTemplate && (await mayEditContacts(db, principal, id))) return;
  requireAdmin(principal);
}

async function requireParent(db: Kysely<Database>, parentId: string | undefined | null, selfId: string): Promise<void> {
  if (!parentId) return;
  if (parentId === selfId)
    throw new Refusal(400, 'invalid_parent', 'Sebuah pihak tidak dapat menjadi induk dirinya sendiri.', 'parentId');
  const parent = await db.selectFrom('parties').select('id').where('id', '=', parentId).executeTakeFirst();
  if (!parent) throw new Refusal(400, 'unknown_party', `Pihak induk "${parentId}" tidak dikenal.`, 'parentId');
}

/** An id made from the name, as people would write it ("pemerintah-kabupaten-garut", then "-2"…): never a UUID. */
async function readableId(db: Kysely<Database>, name: string): Promise<string> {
  const base =
    slugify(name.replaceAll('&', ' dan '), { lower: true, strict: true }).slice(0, 56).replace(/-+$/, '') || 'pihak';
  const taken = new Set(
    (await db.selectFrom('parties').select('id').where('id', 'like', `${base}%`).execute()).map((r) => r.id),
  );
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Adds a party to the directory (admins only); an id already taken is a 409 naming `id`. */
export async function registerParty(db: Kysely<Database>, principal: Principal, input: NewParty): Promise<Party> {
  requireAdmin(principal);
  requireUsableTemplate(input.numberTemplate);
  const id = input.id ?? (await readableId(db, input.name));
  await requireParent(db, input.parentId, id);
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('parties')
      .values({
        id,
        name: input.name,
        kind: input.kind,
        parent_id: input.parentId ?? null,
        time_zone: input.timeZone ?? DEFAULT_TIME_ZONE,
        contacts: JSON.stringify(input.contacts),
        updated_at: new Date(),
        number_template: input.numberTemplate ?? null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) throw new Refusal(409, 'id_taken', `Pihak dengan id "${id}" sudah ada.`, 'id');
    await claimAddresses(tx, principal, id, input.contacts);
    return toParty(inserted);
  });
}

/** Changes a party (admins only); running agreements read the change from their next e-mail on. */
export async function updateParty(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  change: PartyChange,
): Promise<Party> {
  await requireMayChange(db, principal, id, change);
  requireUsableTemplate(change.numberTemplate);
  await requireParent(db, change.parentId, id);
  return db.transaction().execute(async (tx) => {
    // The overview counts an agreement under every party above its own: a move takes its counts along.
    const moves = change.parentId !== undefined;
    if (moves) await sql`select overview_counts_add(${id}, -1)`.execute(tx);
    const updated = await tx
      .updateTable('parties')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.parentId !== undefined ? { parent_id: change.parentId || null } : {}),
        ...(change.timeZone !== undefined ? { time_zone: change.timeZone } : {}),
        ...(change.contacts !== undefined ? { contacts: JSON.stringify(change.contacts) } : {}),
        ...(change.numberTemplate !== undefined ? { number_template: change.numberTemplate || null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound(`Pihak "${id}"`);
    if (moves) await sql`select overview_counts_add(${id}, 1)`.execute(tx);
    if (change.contacts !== undefined) await claimAddresses(tx, principal, id, change.contacts);
    return toParty(updated);
  });
}
