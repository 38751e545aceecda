// The agreements read model: one row per agreement holding its view. Written inline with each append, or rebuilt from
// events.
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { RecordedEvent } from '../../domain/events.js';
import { evolve, evolveAll, fold, initialState } from '../../domain/evolve.js';
import type { AgreementState } from '../../domain/types.js';
import { stateFromView, toView, type AgreementView } from '../../domain/view.js';
import { PREPARED, scanInChunks } from '../../infra/connections.js';
import type { AgreementsTable, Database } from '../../schema/database.js';
import type { InlineWrite } from '../event-store/append.js';
import { toRecordedEvent } from '../event-store/read.js';

export function agreementRow(view: AgreementView): Insertable<AgreementsTable> {
  return {
    id: view.id,
    title: view.title,
    instrument: view.instrument,
    stage: view.stage,
    parent_id: view.parentId ?? null,
    renewal_of: view.renewalOf ?? null,
    party_ids: view.parties.map((p) => p.partyId),
    view: JSON.stringify(view),
    version: view.version,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
  };
}

export function projectAgreement(view: AgreementView): InlineWrite {
  const r = agreementRow(view);
  return (cas) => sql`
    insert into agreements (id, title, instrument, stage, parent_id, renewal_of, party_ids, view, version, created_at,
      updated_at)
    select ${r.id}, ${r.title}, ${r.instrument}, ${r.stage}, ${r.parent_id}, ${r.renewal_of}, ${r.party_ids}::text[],
      ${r.view}::json, ${r.version}, ${r.created_at}::timestamptz, ${r.updated_at}::timestamptz
    from ${cas}
    on conflict (id) do update set title = excluded.title, instrument = excluded.instrument, stage = excluded.stage,
      parent_id = excluded.parent_id, renewal_of = excluded.renewal_of, party_ids = excluded.party_ids,
      view = excluded.view, version = excluded.version, updated_at = excluded.updated_at
    returning id`;
}

/** Events after which an agreement stands at another stage. */
const STAGE_EVENTS = new Set(['StageChanged', 'AgreementEnded']);

/**
 * The list's index of who takes part: a row per party, written once with the start (parties never change after
 * it), with the agreement's stage, kept as it changes. A retried start writes nothing twice.
 */
export function projectAgreementParties(view: AgreementView, events: RecordedEvent[]): InlineWrite[] {
  const partyIds = [...new Set(view.parties.map((p) => p.partyId))];
  if (events.some((e) => e.type === 'AgreementStarted'))
    return [
      (cas) => sql`
    insert into agreement_parties (party_id, created_at, agreement_id, stage)
    select unnest(${partyIds}::text[]), ${view.createdAt}::timestamptz, ${view.id}, ${view.stage} from ${cas}
    on conflict (party_id, created_at, agreement_id) do update set stage = excluded.stage returning agreement_id`,
    ];
  if (!events.some((e) => STAGE_EVENTS.has(e.type))) return [];
  return [
    (cas) => sql`
    update agreement_parties set stage = ${view.stage} where agreement_id = ${view.id} and exists (select 1 from ${cas})
    returning agreement_id`,
  ];
}

/** Writes in flight at once during a rebuild: each one keeps a PostgreSQL backend, so a core, busy. */
export const REBUILD_WRITERS = 2;

/** How a rebuild reads and writes: events per chunk of the scan, agreement rows per write. */
export interface RebuildBatches {
  chunkSize?: number;
  writeBatch?: number;
}

/** Replays every stream and rewrites the read model; returns how many agreements were written. */
export async function rebuildAgreements(db: Kysely<Database>, batches: RebuildBatches = {}): Promise<number> {
  return rebuildStreams(db, { after: '' }, batches);
}

/** The events of a range's streams, each stream's in order: what a rebuild reads, in one scan. */
export function eventsInStreamOrder(db: Kysely<Database>, range: StreamRange) {
  let events = db
    .selectFrom('events')
    .select(['stream_id', 'event_id', 'type', 'data', 'metadata'])
    .where('stream_id', '>', range.after);
  if (range.until !== undefined) events = events.where('stream_id', '<=', range.until);
  return events.orderBy('stream_id').orderBy('version');
}

/**
 * The streams after `after` up to `until` (every one after, without it), as `rebuildAgreements` does them all.
 * One scan of their events in stream order, each stream folded as its events pass and written a batch at a time on
 * two connections at once, so PostgreSQL's reading and writing and Node's folding overlap.
 */
export async function rebuildStreams(
  db: Kysely<Database>,
  range: StreamRange,
  { chunkSize = 1000, writeBatch = 100 }: RebuildBatches = {},
): Promise<number> {
  const writing = new Set<Promise<void>>();
  // A write's failure is kept here, not in its promise: a write that fails while the scan is waiting must neither
  // be an unhandled rejection nor leave the set before anyone has seen it.
  let failed: { error: unknown } | undefined;
  let rows: Insertable<AgreementsTable>[] = [];
  let count = 0;
  const write = async () => {
    if (writing.size >= REBUILD_WRITERS) await Promise.race(writing);
    if (failed) throw failed.error;
    const done: Promise<void> = writeRows(db, rows).then(
      () => void writing.delete(done),
      (error: unknown) => {
        writing.delete(done);
        failed ??= { error };
      },
    );
    writing.add(done);
    rows = [];
  };
  const folded = async (state: AgreementState) => {
    rows.push(agreementRow(toView(state)));
    count++;
    if (rows.length >= writeBatch) await write();
  };
  let state: AgreementState | undefined;
  try {
    for await (const chunk of scanInChunks(db, eventsInStreamOrder(db, range), chunkSize)) {
      // Each stream's run of events in the chunk is folded at once (see evolveAll).
      for (let from = 0; from < chunk.length; ) {
        const streamId = chunk[from]!.stream_id;
        let to = from + 1;
        while (to < chunk.length && chunk[to]!.stream_id === streamId) to++;
        if (state?.id !== streamId) {
          if (state) await folded(state);
          state = initialState(streamId);
        }
        state = evolveAll(state, chunk.slice(from, to).map(toRecordedEvent));
        from = to;
      }
    }
    if (state) await folded(state);
    if (rows.length > 0) await write();
  } finally {
    // A failed write, or a failed scan, ends the rebuild, but only after the writes in flight have settled.
    await Promise.all(writing);
  }
  if (failed) throw failed.error;
  return count;
}

/** Streams after `after`, up to and with `until`; without `until`, every one after. */
export interface StreamRange {
  after: string;
  until?: string;
}

/**
 * The streams cut into about `parts` ranges of equal size: the boundaries read from the streams' key alone. The last
 * range is open, so a stream started during the rebuild is still in one.
 */
export async function streamRanges(db: Kysely<Database>, parts: number): Promise<StreamRange[]> {
  const { rows } = await sql<{ until: string }>`
    select max(stream_id) as until from (select stream_id, ntile(${parts}::int) over (order by stream_id) as part
    from streams) s group by part order by until`.execute(db);
  const bounds = rows.slice(0, -1).map((r) => r.until);
  return [...bounds.map((until, i) => ({ after: bounds[i - 1] ?? '', until })), { after: bounds.at(-1) ?? '' }];
}

function writeRows(db: Kysely<Database>, values: Insertable<AgreementsTable>[]): Promise<void> {
  return db
    .insertInto('agreements')
    .values(values)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        instrument: eb.ref('excluded.instrument'),
        stage: eb.ref('excluded.stage'),
        parent_id: eb.ref('excluded.parent_id'),
        renewal_of: eb.ref('excluded.renewal_of'),
        party_ids: eb.ref('excluded.party_ids'),
        view: eb.ref('excluded.view'),
        version: eb.ref('excluded.version'),
        created_at: eb.ref('excluded.created_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
    .then(() => writeParties(db, values));
}

async function writeParties(db: Kysely<Database>, values: Insertable<AgreementsTable>[]): Promise<void> {
  const rows = values.flatMap((v) =>
    [...new Set(v.party_ids as string[])].map((partyId) => ({
      party_id: partyId,
      created_at: v.created_at,
      agreement_id: v.id,
      stage: v.stage,
    })),
  );
  if (rows.length)
    await db
      .insertInto('agreement_parties')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['party_id', 'created_at', 'agreement_id'])
          .doUpdateSet((eb) => ({ stage: eb.ref('excluded.stage') })),
      )
      .execute();
}

/** A view folded forward by later events, with the same `evolve` as the workflow's state. */
export function viewFoldedOn(view: AgreementView, events: RecordedEvent[]): AgreementView {
  return toView(events.reduce(evolve, stateFromView(view)));
}

/**
 * The view after appending `events` at `expectedVersion`: the stored view folded forward with `evolve`, or,
 * when the stored row is not at that version (a first append, or a row being rebuilt), the stream folded from
 * its first event.
 */
export async function viewAfter(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  events: RecordedEvent[],
): Promise<AgreementView> {
  const stored =
    expectedVersion > 0
      ? await db
          .selectFrom('agreements')
          .select('view')
          .where('id', '=', streamId)
          .where('version', '=', expectedVersion)
          .executeTakeFirst()
      : undefined;
  if (stored) return viewFoldedOn(stored.view, events);
  const earlier =
    expectedVersion > 0
      ? (
          await db
            .selectFrom('events')
            .select(['event_id', 'type', 'data', 'metadata'])
            .where('stream_id', '=', streamId)
            .where('version', '<=', expectedVersion)
            .orderBy('version')
            .execute()
        ).map(toRecordedEvent)
      : [];
  return toView(fold(streamId, [...earlier, ...events]));
}

/** As `viewAfter`, with `also` (an expression that does not read the agreement's row) read in the same statement. */
export async function viewAfterWith<T>(
  db: Kysely<Database>,
  streamId: string,
  expectedVersion: number,
  events: RecordedEvent[],
  also: RawBuilder<T>,
): Promise<{ view: AgreementView; also: T }> {
  const { rows } = await sql<{ view: AgreementView | null; also: T }>`${sql.raw(PREPARED)}
    select (select view from agreements where id = ${streamId} and version = ${expectedVersion}) as view,
      ${also} as also`.execute(db);
  const { view: stored, also: value } = rows[0]!;
  const view =
    stored && expectedVersion > 0
      ? viewFoldedOn(stored, events)
      : await viewAfter(db, streamId, expectedVersion, events);
  return { view, also: value };
}
