// The audit sheet of an agreement signed electronically: written once, when the last signature is recorded (or
// on first demand, if that write did not happen), and kept with the agreement's documents.
import type { Kysely } from 'kysely';
import type { AgreementView } from '../../domain/view.js';
import type { Database } from '../../schema/database.js';
import { generatedDocument, keepGenerated, type DocumentInfo } from './documents.js';
import { auditSheet } from './signatures/audit-sheet.js';
import { auditSheetData } from './signatures/audit-trail.js';
import type { BlobStore } from './storage.js';

/** The kept audit sheet, written now if it was not yet; undefined while the agreement is not signed so. */
export async function keepAuditSheet(
  db: Kysely<Database>,
  blobs: BlobStore,
  view: AgreementView,
): Promise<DocumentInfo | undefined> {
  const kept = await generatedDocument(db, view.id, 'audit_sheet');
  if (kept) return kept;
  const data = await auditSheetData(db, view, new Date().toISOString());
  if (!data) return undefined;
  const bytes = Buffer.from(await auditSheet(data));
  const filename = `lembar-jejak-audit-${view.id}.pdf`;
  return keepGenerated(db, blobs, view.id, { kind: 'audit_sheet', filename, bytes });
}
