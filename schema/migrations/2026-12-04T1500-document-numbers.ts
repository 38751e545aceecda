import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Each office numbers its outgoing documents by its own template ({nomor}, {tahun}, {bulan}).
  await db.schema.alterTable('parties').addColumn('number_template', 'text').execute();
  // A party's register: every number it gave a document, per year; a called-off one stays, marked batal.
  await db.schema
    .createTable('document_numbers')
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('running', 'integer')
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('used', 'batal')`))
    .addPrimaryKeyConstraint('document_numbers_pk', ['party_id', 'year', 'number'])
    .execute();
  // The last running number per party and year: its row lock makes two numberings at once consecutive.
  await db.schema
    .createTable('document_number_counters')
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_running', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_number_counters_pk', ['party_id', 'year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('document_number_counters').ifExists().execute();
  await db.schema.dropTable('document_numbers').ifExists().execute();
  await db.schema.alterTable('parties').dropColumn('number_template').execute();
}
