import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // One copy per recipient of an e-mail that carries an action link: each has its own link and Message-ID.
  await db.schema.alterTable('notifications').addColumn('copies', 'jsonb').execute();
  // A calendar feed lives no longer than the token that created it.
  await db.schema.alterTable('calendar_feeds').addColumn('created_by', 'text').execute();
  // Idempotency answers are kept for a set time; the sweep finds the old ones by age.
  await db.schema.createIndex('idempotency_keys_age').on('idempotency_keys').column('created_at').execute();
  await sql`create index notifications_sent on notifications (agreement_id, sent_at) where sent_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notifications_sent`.execute(db);
  await db.schema.dropIndex('idempotency_keys_age').ifExists().execute();
  await db.schema.alterTable('calendar_feeds').dropColumn('created_by').execute();
  await db.schema.alterTable('notifications').dropColumn('copies').execute();
}
