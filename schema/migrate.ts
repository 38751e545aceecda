// Runs the migrations in this folder, in name order.
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as initial from './migrations/2026-11-25T0900-initial.js';
import * as idempotency from './migrations/2026-11-25T1000-idempotency.js';
import * as calendarFeeds from './migrations/2026-11-25T1100-calendar-feeds.js';
import * as securityReview from './migrations/2026-11-25T1200-security-review.js';
import * as people from './migrations/2026-11-25T1300-people.js';
import * as documents from './migrations/2026-11-25T1400-documents.js';
import * as overview from './migrations/2026-11-25T1500-overview.js';
import * as performance from './migrations/2026-11-26T1600-performance.js';
import * as secondReview from './migrations/2026-12-04T0900-second-security-review.js';
import * as documentNumbers from './migrations/2026-12-04T1500-document-numbers.js';
import * as nationalReads from './migrations/2026-12-05T0900-national-reads.js';
import * as overviewCounts from './migrations/2026-12-05T1200-overview-counts.js';
import * as overviewIndexes from './migrations/2026-12-05T1600-overview-indexes.js';

const migrations: Record<string, Migration> = {
  '2026-11-25T0900-initial': initial,
  '2026-11-25T1000-idempotency': idempotency,
  '2026-11-25T1100-calendar-feeds': calendarFeeds,
  '2026-11-25T1200-security-review': securityReview,
  '2026-11-25T1300-people': people,
  '2026-11-25T1400-documents': documents,
  '2026-11-25T1500-overview': overview,
  '2026-11-26T1600-performance': performance,
  '2026-12-04T0900-second-security-review': secondReview,
  '2026-12-04T1500-document-numbers': documentNumbers,
  '2026-12-05T0900-national-reads': nationalReads,
  '2026-12-05T1200-overview-counts': overviewCounts,
  '2026-12-05T1600-overview-indexes': overviewIndexes,
};

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
