// Reading agreements from the projections.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { AgreementView } from '../domain/view.js';
import type { Database } from '../schema/database.js';
import { partyTree } from './directory.js';
import { Refusal } from './errors.js';

export async function readView(db: Kysely<Database>, id: string): Promise<AgreementView | undefined> {
  const row = await db.selectFrom('agreements').select('view').where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return withChildren(db, row.view);
}

/** An umbrella's view lists its operational agreements, read from their own rows. */
export async function withChildren(db: Kysely<Database>, view: AgreementView): Promise<AgreementView> {
  const children = await db
    .selectFrom('agreements')
    .select(['id', 'title', 'stage', 'party_ids', sql<string | null>`view->>'dueBy'`.as('due_by')])
    // A PKS with parties of its own is still "with" its OPD.
    .select(
      sql<
        string | null
      >`(select p.id from parties p where p.id = any(agreements.party_ids) and p.kind = 'opd' order by p.id limit
        1)`.as('opd_id'),
    )
    .where('parent_id', '=', view.id)
    .orderBy('created_at')
    .execute();
  return {
    ...view,
    children: children.map((c) => ({
      id: c.id,
      partyId:
        c.opd_id ?? c.party_ids.find((p) => !view.parties.some((vp) => vp.partyId === p)) ?? c.party_ids.at(-1) ?? '',
      title: c.title,
      stage: c.stage,
      ...(c.due_by ? { dueBy: c.due_by } : {}),
    })),
  };
}

export interface ListFilter {
  stage?: string;
  instrument?: string;
  /** A party and every party under it, read in the list's own statement (one round trip, not two). */
  partyTreeOf?: string;
  visiblePartyIds?: string[] | null;
  parentId?: string;
  overdueOn?: string;
  q?: string;
  limit: number;
  cursor?: { createdAt: string; id: string };
}

export async function listViews(
  db: Kysely<Database>,
  f: ListFilter,
): Promise<{ items: AgreementView[]; next?: { createdAt: string; id: string } }> {
  const conditions = [sql`true`];
  if (f.stage) conditions.push(sql`a.stage = ${f.stage}`);
  if (f.instrument) conditions.push(sql`a.instrument = ${f.instrument}`);
  if (f.parentId) conditions.push(sql`a.parent_id = ${f.parentId}`);
  if (f.q) conditions.push(sql`a.title ilike ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (f.overdueOn) {
    conditions.push(
      sql`exists (select 1 from json_array_elements(a.view->'followUps') fu where fu->>'status' = 'open' and
        fu->>'overdueOn' <= ${f.overdueOn})`,
    );
  }
  if (f.partyTreeOf !== undefined) {
    // Parties and a stage alone are answered by the index of `agreement_parties`, without reading the agreements.
    const byIndexOnly = !f.instrument && !f.parentId && !f.q && !f.overdueOn && !f.visiblePartyIds;
    return listOfParties(db, f.partyTreeOf, byIndexOnly ? [] : conditions, f);
  }
  // A caller's visible parties narrow first through the party index; `offset 0` keeps the planner from walking the
  // newest-first index and testing every row, the whole table when none match.
  if (f.cursor) conditions.push(sql`(a.created_at, a.id) < (${f.cursor.createdAt}::timestamptz, ${f.cursor.id})`);
  const from = f.visiblePartyIds
    ? sql`(select * from agreements where party_ids && ${f.visiblePartyIds}::text[] offset 0) as a`
    : sql`agreements a`;
  const { rows } = await sql<{ id: string; view: AgreementView; created_at: Date }>`
    select a.id, a.view, a.created_at from ${from} where ${sql.join(conditions, sql` and `)}
    order by a.created_at desc, a.id desc limit ${f.limit + 1}`.execute(db);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => r.view),
    ...(rows.length > f.limit && last ? { next: { createdAt: last.created_at.toISOString(), id: last.id } } : {}),
  };
}

/**
 * A party and the parties under it: each party's newest agreements are a range of `agreement_parties`, read only
 * as far as one page needs, then merged; an agreement two of them share is listed once. A directory's tree is tens
 * of parties (a Kanwil's UPTs, a Pemda's OPDs), so as many ranges; a party alone is one.
 */
async function listOfParties(
  db: Kysely<Database>,
  partyId: string,
  conditions: RawBuilder<unknown>[],
  f: ListFilter,
): Promise<{ items: AgreementView[]; next?: { createdAt: string; id: string } }> {
  const where = [...conditions];
  if (f.visiblePartyIds) where.push(sql`a.party_ids && ${f.visiblePartyIds}::text[]`);
  // No condition on the agreement itself (an empty list): each range is read from the index alone.
  const ofAgreement = where.length > 0;
  if (f.cursor) where.push(sql`(p.created_at, p.agreement_id) < (${f.cursor.createdAt}::timestamptz, ${f.cursor.id})`);
  where.push(sql`true`);
  // One statement for any number of parties (a lateral range per party); ids first, so only the page's own views
  // are read (each is a JSON document of several kilobytes).
  const { rows } = await sql<{ id: string; view: AgreementView; created_at: Date }>`
    select a.id, a.view, a.created_at from (
      select distinct on (r.created_at, r.id) r.id, r.created_at from ${partyTree(partyId)}
      cross join lateral (select p.agreement_id as id, p.created_at from agreement_parties p
        ${ofAgreement ? sql`join agreements a on a.id = p.agreement_id` : sql``}
        where p.party_id = tree.id ${f.stage ? sql`and p.stage = ${f.stage}` : sql``}
          and ${sql.join(where, sql` and `)}
        order by p.created_at desc, p.agreement_id desc limit ${f.limit + 1}) as r
      order by r.created_at desc, r.id desc limit ${f.limit + 1}) as page
    join agreements a using (id) order by a.created_at desc, a.id desc`.execute(db);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => r.view),
    ...(rows.length > f.limit && last ? { next: { createdAt: last.created_at.toISOString(), id: last.id } } : {}),
  };
}

/** A list page's position, opaque to clients. */
export function encodeCursor(c: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt)))
      return { createdAt, id };
  } catch {
    // fall through
  }
  throw new Refusal(
    400,
    'invalid_input',
    'cursor tidak dikenal; gunakan nilai nextCursor dari halaman sebelumnya.',
    'cursor',
  );
}
