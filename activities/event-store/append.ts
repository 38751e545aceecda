// The event store's write: one statement per append, with the inline projection and the outbox in the same transaction.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { RecordedEvent } from '../../domain/events.js';
import type { TakenNumbers } from '../../domain/numbering.js';
import type { Database } from '../../schema/database.js';
import { PREPARED } from '../../infra/connections.js';

/** The stream moved on since the writer read it. */
export class ExpectedVersionConflictError extends Error {
  override readonly name = 'ExpectedVersionConflictError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(`stream ${streamId}: expected version ${expectedVersion}, found ${actualVersion ?? 'none'}`);
  }
}

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
  /** True when these events were already stored by an earlier try: nothing was written. */
  alreadyStored: boolean;
  /** The document numbers this step took from the parties' templates, as the stored event states them. */
  numbers?: TakenNumbers;
}

/**
 * Extra writes that must commit with the events. Each is a data-modifying CTE; one that selects from `cas` runs only
 * when the compare-and-set succeeded, one that does not runs either way (as every data-modifying CTE does).
 */
export type InlineWrite = (cas: RawBuilder<unknown>) => RawBuilder<unknown>;

function eventsJson(events: RecordedEvent[], expectedVersion: number): string {
  return JSON.stringify(
    events.map((e, i) => ({
      event_id: e.id,
      version: expectedVersion + i + 1,
      type: e.type,
      data: e.data,
      metadata: e.meta,
    })),
  );
}

export async function appendToStream(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  events: RecordedEvent[],
  inline: InlineWrite[] = [],
): Promise<AppendResult> {
  if (events.length === 0) return { version: expectedVersion, alreadyStored: false };
  const newVersion = expectedVersion + events.length;
  const cas =
    expectedVersion === 0
      ? sql`insert into streams (stream_id, version) values (${streamId}, ${newVersion}) on conflict do nothing
        returning version`
      : sql`update streams set version = ${newVersion} where stream_id = ${streamId} and version = ${expectedVersion}
        returning version`;
  const casRef = sql`cas`;
  const extra = inline.map((write, i) => sql`, inline_${sql.raw(String(i))} as (${write(casRef)})`);
  try {
    const result = await sql<{ version: number }>`${sql.raw(PREPARED)}
      with cas as (${cas}),
      appended as (
        insert into events (stream_id, version, event_id, type, data, metadata)
        select ${streamId}, e.version, e.event_id, e.type, e.data, e.metadata
        from jsonb_to_recordset(${eventsJson(events, expectedVersion)}::jsonb)
          as e(event_id uuid, version integer, type text, data jsonb, metadata jsonb), cas
        returning global_position
      )${sql.join(extra, sql``)}
      select version from cas`.execute(db);
    if (result.rows.length === 1) return { version: newVersion, alreadyStored: false };
  } catch (err) {
    // Two first writers racing on a new stream collide on the (stream_id, version) key.
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  return afterRefusedAppend(db, streamId, expectedVersion, events);
}

/**
 * A refused append is either a retry of one that succeeded (same event ids) or a real conflict: one read says which.
 */
async function afterRefusedAppend(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  events: RecordedEvent[],
): Promise<AppendResult> {
  const ids = events.map((e) => e.id);
  const { rows } = await sql<{ version: number | null; stored: number; last: number | null }>`
    select (select version from streams where stream_id = ${streamId}) as version,
      count(*)::int as stored, max(version) as last
    from events where stream_id = ${streamId} and event_id = any(${ids}::uuid[])`.execute(db);
  const found = rows[0]!;
  if (found.stored === events.length) return { version: found.last!, alreadyStored: true };
  throw new ExpectedVersionConflictError(streamId, expectedVersion, found.version);
}
