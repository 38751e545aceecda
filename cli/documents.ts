// Operator checks of the kept documents: every stored file hashed again, and an agreement's files exported.
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { postgresBlobs } from '../services/documents/storage.js';
import { exportAgreement } from './export.js';
import { readView } from '../services/agreement-reads.js';
import { keepAuditSheet } from '../services/documents/audit-sheets.js';

export interface Mismatch {
  sha256: string;
  actual?: string;
  documents: { id: string; agreementId: string; filename: string }[];
}

/** Every blob hashed again: a blob whose bytes no longer match its name, or a document whose blob is gone. */
export async function verifyDocuments(db: Kysely<Database>): Promise<{ checked: number; mismatches: Mismatch[] }> {
  const bad = new Map<string, string | undefined>();
  let checked = 0;
  for await (const blob of postgresBlobs(db).each()) {
    checked++;
    const actual = createHash('sha256').update(blob.bytes).digest('hex');
    if (actual !== blob.sha256) bad.set(blob.sha256, actual);
  }
  const orphans = await db
    .selectFrom('documents')
    .leftJoin('blobs', 'blobs.sha256', 'documents.sha256')
    .select('documents.sha256')
    .where('blobs.sha256', 'is', null)
    .execute();
  for (const o of orphans) bad.set(o.sha256, undefined);
  const mismatches: Mismatch[] = [];
  for (const [sha256, actual] of bad) {
    const documents = await db
      .selectFrom('documents')
      .select(['id', 'agreement_id', 'filename'])
      .where('sha256', '=', sha256)
      .execute();
    mismatches.push({
      sha256,
      ...(actual ? { actual } : {}),
      documents: documents.map((d) => ({ id: d.id, agreementId: d.agreement_id, filename: d.filename })),
    });
  }
  return { checked, mismatches };
}

/** A zip with the agreement's record (`agreement.json`) and each of its files (the audit sheet too) by SHA-256. */
export async function exportWithDocuments(db: Kysely<Database>, id: string): Promise<Buffer | undefined> {
  // An agreement signed electronically carries its audit sheet; one not yet written is written now.
  const view = await readView(db, id);
  if (view) await keepAuditSheet(db, postgresBlobs(db), view);
  const record = await exportAgreement(db, id);
  if (!record) return undefined;
  const zip = new JSZip();
  zip.file('agreement.json', JSON.stringify(record, null, 2));
  const blobs = postgresBlobs(db);
  for (const sha256 of new Set(record.files.map((f) => f.sha256))) {
    const bytes = await blobs.get(sha256);
    if (bytes) zip.file(`documents/${sha256}`, bytes);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
