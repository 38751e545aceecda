// An agreement's full record for an auditor: every event in order, and every document referenced.
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.js';

export async function exportAgreement(db: Kysely<Database>, id: string) {
  const agreement = await db.selectFrom('agreements').select(['view']).where('id', '=', id).executeTakeFirst();
  if (!agreement) return undefined;
  const events = await db.selectFrom('events').select(['version', 'event_id', 'type', 'data', 'metadata', 'recorded_at']).where('stream_id', '=', id).orderBy('version').execute();
  const documents = events.flatMap((e) => {
    const d = e.data as { documentUrl?: string; sha256?: string; version?: number; period?: string };
    return d.documentUrl ? [{ documentUrl: d.documentUrl, ...(d.sha256 ? { sha256: d.sha256 } : {}), event: e.type, version: e.version, recordedAt: e.recorded_at.toISOString() }] : [];
  });
  return {
    exportedAt: new Date().toISOString(),
    agreement: agreement.view,
    documents,
    events: events.map((e) => ({ version: e.version, id: e.event_id, type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recorded_at.toISOString() })),
  };
}
