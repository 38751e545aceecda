import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Issue 33, the reads at national scale:
// - a party's agreements at one stage, newest first, as an index range. With a million agreements a Kanwil's list
//   of its UPTs' active agreements walked each UPT's agreements and read every view to test its stage;
// - documents newest first: a search ranks the newest matches only, read along this index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agreement_parties').addColumn('stage', 'text').execute();
  await sql`update agreement_parties p set stage = a.stage from agreements a where a.id = p.agreement_id`.execute(db);
  await sql`update agreement_parties set stage = 'exploration' where stage is null`.execute(db);
  await sql`alter table agreement_parties alter column stage set not null`.execute(db);
  await db.schema
    .createIndex('agreement_parties_stage')
    .on('agreement_parties')
    .columns(['party_id', 'stage', 'created_at', 'agreement_id'])
    .execute();
  await db.schema.createIndex('documents_uploaded').on('documents').column('uploaded_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('documents_uploaded').ifExists().execute();
  await db.schema.dropIndex('agreement_parties_stage').ifExists().execute();
  await db.schema.alterTable('agreement_parties').dropColumn('stage').execute();
}
