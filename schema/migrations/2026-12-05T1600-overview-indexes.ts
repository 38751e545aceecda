import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 33, the admin's overview at a million agreements: the open follow-ups per owner are read from an index
// that holds what the counts need (no table rows), and the umbrellas most behind on their PKS come first in an index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index follow_up_facts_open_owner on follow_up_facts (owner_party_id)
    include (overdue_on, escalation_level) where status = 'open'`.execute(db);
  await sql`create index pks_coverage_not_signed on pks_coverage ((started - signed) desc, umbrella_id)
    where started > 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists pks_coverage_not_signed`.execute(db);
  await sql`drop index if exists follow_up_facts_open_owner`.execute(db);
}
