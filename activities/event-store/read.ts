// Reading streams back as domain events.
import type { Kysely } from 'kysely';
import type { RecordedEvent } from '../../domain/events.js';
import type { Database, EventRow } from '../../schema/database.js';

export function toRecordedEvent(row: Pick<EventRow, 'event_id' | 'type' | 'data' | 'metadata'>): RecordedEvent {
  return { id: row.event_id, type: row.type, data: row.data, meta: row.metadata } as RecordedEvent;
}

export async function readStream(db: Kysely<Database>, streamId: string): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('stream_id', '=', streamId).orderBy('version').execute();
}
