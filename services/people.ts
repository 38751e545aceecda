// People who sign in as themselves: every contact in the directory (acting for their party) and the operators
// (admins and viewers). Who someone is, is read from the directory at every request, so a removed contact or a
// disabled operator loses access at once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import type { Principal } from './access.js';

export interface Person {
  email: string;
  name: string;
  role: 'admin' | 'viewer' | 'party';
  partyId?: string;
  /** The party's name, as the directory lists it now (for the page header, never an id). */
  partyName?: string;
}

export const normal = (email: string): string => email.trim().toLowerCase();

/**
 * Everyone an address may be, best first: an active operator, then each party that lists it (by id). One query
 * for findPerson and for the sign-in request, which must not tell known addresses from unknown ones by its work.
 */
export const peopleWithAddress = (address: string) => sql<{
  email: string;
  name: string;
  role: Person['role'];
  party_id: string | null;
  party_name: string | null;
}>`
  (select email, name, role, null::text as party_id, null::text as party_name, 0 as rank, '' as party_order
     from operators where email = ${address} and disabled_at is null
   union all
   select ${address}::text, c->>'name', 'party', p.id, p.name, 1, p.id
     from parties p, jsonb_array_elements(p.contacts) c where lower(c->>'email') = ${address})
  order by rank, party_order limit 1`;

/** The person with this address: an active operator first, else the first party (by id) that lists them. */
export async function findPerson(db: Kysely<Database>, email: string): Promise<Person | undefined> {
  const address = normal(email);
  const row = (
    await sql<{
      email: string;
      name: string;
      role: Person['role'];
      party_id: string | null;
      party_name: string | null;
    }>`
    select email, name, role, party_id, party_name from (${peopleWithAddress(address)}) as person`.execute(db)
  ).rows[0];
  if (!row) return undefined;
  return {
    email: row.email,
    name: row.name,
    role: row.role,
    ...(row.party_id ? { partyId: row.party_id } : {}),
    ...(row.party_name ? { partyName: row.party_name } : {}),
  };
}

/** A person as the services see them: a party's contact acts for that party, as a party token does. */
export const principalOf = (p: Person): Principal => ({
  kind: 'person',
  id: p.email,
  role: p.role,
  email: p.email,
  name: p.name,
  ...(p.partyId ? { partyId: p.partyId } : {}),
});

export async function createOperator(
  db: Kysely<Database>,
  o: { email: string; name: string; role: 'admin' | 'viewer' },
): Promise<void> {
  await db
    .insertInto('operators')
    .values({ email: normal(o.email), name: o.name, role: o.role, disabled_at: null })
    .onConflict((oc) => oc.column('email').doUpdateSet({ name: o.name, role: o.role, disabled_at: null }))
    .execute();
}

export function listOperators(db: Kysely<Database>) {
  return db.selectFrom('operators').selectAll().orderBy('email').execute();
}

/** Disables an operator and ends every session of theirs; false when there was no such active operator. */
export async function disableOperator(db: Kysely<Database>, email: string): Promise<boolean> {
  const result = await db
    .updateTable('operators')
    .set({ disabled_at: new Date() })
    .where('email', '=', normal(email))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  await db
    .updateTable('sessions')
    .set({ ended_at: new Date() })
    .where('email', '=', normal(email))
    .where('ended_at', 'is', null)
    .execute();
  return Number(result.numUpdatedRows) > 0;
}
