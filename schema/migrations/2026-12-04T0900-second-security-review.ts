import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Every feed has an end; one made before this lives 180 days from when it was made.
  await db.schema.alterTable('calendar_feeds').addColumn('expires_at', 'timestamptz').execute();
  await sql`update calendar_feeds set expires_at = created_at + interval '180 days'`.execute(db);
  await sql`alter table calendar_feeds alter column expires_at set not null`.execute(db);
  // Who made it: a token (created_by is its id) or a person (created_by is their e-mail address).
  await db.schema.alterTable('calendar_feeds').addColumn('creator_kind', 'text').execute();
  await sql`update calendar_feeds set creator_kind = case when created_by like '%@%' then 'person' else 'token' end
    where created_by is not null`.execute(db);
  // An admin moving a contact's address from one party to another leaves a record.
  await db.schema
    .createTable('contact_moves')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('from_party_id', 'text', (c) => c.notNull())
    .addColumn('to_party_id', 'text', (c) => c.notNull())
    .addColumn('moved_by', 'text', (c) => c.notNull())
    .addColumn('moved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A draft version compared with the one before, once, when it is submitted: reads never compute.
  await db.schema
    .createTable('document_comparisons')
    .addColumn('before_id', 'uuid', (c) => c.notNull())
    .addColumn('after_id', 'uuid', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addColumn('hunks', 'json', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('document_comparisons_pk', ['before_id', 'after_id'])
    .execute();
  // The worker's sign-in queue reads the pending sign-in e-mails every half second: only those, by age.
  await sql`create index notifications_sign_in_pending on notifications (created_at)
    where template = 'sign_in_link' and status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notifications_sign_in_pending`.execute(db);
  await db.schema.dropTable('document_comparisons').ifExists().execute();
  await db.schema.dropTable('contact_moves').ifExists().execute();
  await db.schema.alterTable('calendar_feeds').dropColumn('creator_kind').execute();
  await db.schema.alterTable('calendar_feeds').dropColumn('expires_at').execute();
}
