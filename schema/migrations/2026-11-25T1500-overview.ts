import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Read models of the overview: one row per agreement with the dates and counts the reports need, and one row
// per follow-up. Written inline with each append; `sinergi projections rebuild` rewrites them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agreement_facts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('instrument', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('initiator_id', 'text', (c) => c.notNull())
    .addColumn('party_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('first_audiensi_on', 'date')
    .addColumn('draft1_on', 'date')
    .addColumn('approved_on', 'date')
    .addColumn('signed_on', 'date')
    .addColumn('term_end', 'date')
    .addColumn('renewal_decided', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('report_due_on', sql`date[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('report_received_on', sql`date[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('agreement_facts_parties')
    .on('agreement_facts')
    .using('gin')
    .column('party_ids')
    .execute();
  await db.schema.createIndex('agreement_facts_parent').on('agreement_facts').column('parent_id').execute();
  await db.schema
    .createTable('follow_up_facts')
    .addColumn('follow_up_id', 'uuid', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_party_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due', 'date', (c) => c.notNull())
    .addColumn('overdue_on', 'date', (c) => c.notNull())
    .addColumn('escalation_level', 'integer', (c) => c.notNull())
    .addColumn('level1_on', 'date')
    .addColumn('level2_on', 'date')
    .execute();
  await db.schema.createIndex('follow_up_facts_agreement').on('follow_up_facts').column('agreement_id').execute();
  await db.schema
    .createIndex('follow_up_facts_open')
    .on('follow_up_facts')
    .columns(['owner_party_id', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follow_up_facts').ifExists().execute();
  await db.schema.dropTable('agreement_facts').ifExists().execute();
}
