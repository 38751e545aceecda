import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Documents live in PostgreSQL: the bytes once per SHA-256 (`blobs`), and each upload's name, kind and text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('uploaded_by', 'jsonb', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('text_note', 'text')
    .addColumn('search', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('indonesian', coalesce(filename, '') || ' ' || coalesce(text, ''))`).stored(),
    )
    .execute();
  await db.schema.createIndex('documents_agreement').on('documents').columns(['agreement_id', 'uploaded_at']).execute();
  await db.schema.createIndex('documents_search').on('documents').using('gin').column('search').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('documents').ifExists().execute();
  await db.schema.dropTable('blobs').ifExists().execute();
}
