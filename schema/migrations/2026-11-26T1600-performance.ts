import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 16, the append path and the list:
// - `events` keeps its three keys and no more: (stream_id, version) becomes the primary key (it was a unique
//   constraint beside a primary key on global_position that nothing reads by); event_id stays unique (exactly
//   once); (transaction_id, global_position) stays for async readers. The foreign key to `streams` goes: an
//   event is only ever inserted joined to the compare-and-set's own `streams` row, so the check re-proved on
//   every row what the statement already guarantees.
// - `agreement_parties`: one row per agreement and party, in list order, so "a party's agreements, newest first"
//   reads an index range instead of every agreement of the party.
// - `agreements.view` becomes `json`: the view is written whole and read whole, and parsing it into jsonb was
//   most of the cost of every projection write (and of a rebuild). The few queries into it work on `json` too.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table agreements alter column view type json using view::json`.execute(db);
  await sql`alter table events drop constraint if exists events_stream_id_fkey`.execute(db);
  await sql`alter table events drop constraint events_pkey, drop constraint events_stream_version,
    add constraint events_pkey primary key (stream_id, version)`.execute(db);

  await db.schema
    .createTable('agreement_parties')
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agreement_parties_pk', ['party_id', 'created_at', 'agreement_id'])
    .execute();
  await sql`insert into agreement_parties (party_id, created_at, agreement_id)
    select distinct unnest(party_ids), created_at, id from agreements`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table agreements alter column view type jsonb using view::jsonb`.execute(db);
  await db.schema.dropTable('agreement_parties').ifExists().execute();
  await sql`alter table events drop constraint events_pkey`.execute(db);
  await sql`alter table events add constraint events_stream_version unique (stream_id, version)`.execute(db);
  await sql`alter table events add constraint events_pkey primary key (global_position)`.execute(db);
  await sql`alter table events add constraint events_stream_id_fkey foreign key (stream_id) references streams
    (stream_id)`.execute(db);
}
