// An agreement's full record for an auditor: every event in order, and every document referenced.
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';

export async function exportAgreement(db: Kysely<Database>, id: string) {
  const agreement = await db.selectFrom('agreements').select(['view']).where('id', '=', id).executeTakeFirst();
  if (!agreement) return undefined;
  const events = await db
    .selectFrom('events')
    .select(['version', 'event_id', 'type', 'data', 'metadata', 'recorded_at'])
    .where('stream_id', '=', id)
    .orderBy('version')
    .execute();
  const documents = events.flatMap((e) => {
    const d = e.data as { documentUrl?: string; sha256?: string; version?: number; period?: string };
    return d.documentUrl
      ? [
          {
            documentUrl: d.documentUrl,
            ...(d.sha256 ? { sha256: d.sha256 } : {}),
            event: e.type,
            version: e.version,
            recordedAt: e.recorded_at.toISOString(),
          },
        ]
      : [];
  });
  // The files kept in Sinergi for it: with --with-documents each one is in the zip under documents/<sha256>.
  const files = (
    await db
      .selectFrom('documents')
      .select(['id', 'kind', 'filename', 'content_type', 'size', 'sha256', 'uploaded_at', 'uploaded_by'])
      .where('agreement_id', '=', id)
      .orderBy('uploaded_at')
      .execute()
  ).map((f) => ({
    id: f.id,
    kind: f.kind,
    filename: f.filename,
    contentType: f.content_type,
    size: f.size,
    sha256: f.sha256,
    uploadedAt: f.uploaded_at.toISOString(),
    uploadedBy: f.uploaded_by,
  }));
  return {
    exportedAt: new Date().toISOString(),
    agreement: agreement.view,
    documents,
    files,
    events: events.map((e) => ({
      version: e.version,
      id: e.event_id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recorded_at.toISOString(),
    })),
  };
}
