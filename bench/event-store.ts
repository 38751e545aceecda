// Benchmarks 1-3: appends against a plain INSERT, one hot stream, and a projection rebuild against a plain scan.
import { sql, type Kysely } from 'kysely';
import { appendToStream } from '../activities/event-store/append.js';
import { DEFAULT_CONFLICT_RETRY, StreamWriter } from './stream-writer.js';
import { eventsInStreamOrder } from '../activities/projections/agreements.js';
import { DEFAULT_REBUILD_THREADS, rebuildAgreementsInThreads } from '../activities/projections/rebuild/in-threads.js';
import type { RecordedEvent } from '../domain/events.js';
import type { Database } from '../schema/database.js';
import { scanInChunks } from '../infra/connections.js';

export interface Row {
  benchmark: string;
  figure: number;
  unit: string;
  baseline: number;
  ratio: number;
  note?: string;
}

const row = (benchmark: string, figure: number, baseline: number, unit: string, note?: string): Row => ({
  benchmark,
  figure: Math.round(figure),
  unit,
  baseline: Math.round(baseline),
  ratio: +(figure / baseline).toFixed(2),
  ...(note ? { note } : {}),
});

let seq = 0;
const uuid = () => {
  const n = (++seq).toString(16).padStart(12, '0');
  return `30000000-0000-4000-8000-${n}`;
};

function events(count: number): RecordedEvent[] {
  return Array.from(
    { length: count },
    () =>
      ({
        type: 'FollowUpCompleted',
        data: { followUpId: 'f', note: 'bench' },
        id: uuid(),
        meta: { actor: { kind: 'system', id: 'bench' }, occurredAt: new Date().toISOString() },
      }) as RecordedEvent,
  );
}

async function time(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

/** 1. Appends at 1 and 8 concurrent writers, single events and batches of 10, against a multi-row INSERT. */
export async function appends(db: Kysely<Database>, total = 20_000): Promise<Row[]> {
  await sql`create unlogged table if not exists bench_plain (global_position bigserial, stream_id text, version int, event_id uuid, type text, data jsonb, metadata jsonb, transaction_id xid8 default pg_current_xact_id(), recorded_at timestamptz default now())`.execute(
    db,
  );
  await sql`alter table bench_plain set logged`.execute(db);
  const rows: Row[] = [];
  for (const writers of [1, 8]) {
    for (const batch of [1, 10]) {
      const perWriter = Math.floor(total / writers / batch);
      const ours = await time(async () => {
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const stream = `bench-${writers}-${batch}-${w}-${seq}`;
            let version = 0;
            for (let i = 0; i < perWriter; i++) {
              const r = await appendToStream(db, stream, version, events(batch));
              version = r.version;
            }
          }),
        );
      });
      const plain = await time(async () => {
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              const evs = events(batch);
              await sql`insert into bench_plain (stream_id, version, event_id, type, data, metadata)
              select ${`plain-${w}`}, e.version, e.event_id, e.type, e.data, e.metadata
              from jsonb_to_recordset(${JSON.stringify(evs.map((e, k) => ({ event_id: e.id, version: i * batch + k + 1, type: e.type, data: e.data, metadata: e.meta })))}::jsonb)
              as e(event_id uuid, version integer, type text, data jsonb, metadata jsonb)`.execute(db);
            }
          }),
        );
      });
      const n = perWriter * writers * batch;
      rows.push(
        row(`append, ${writers} writer${writers > 1 ? 's' : ''}, batch ${batch}`, n / ours, n / plain, 'events/s'),
      );
    }
  }
  return rows;
}

/**
 * 2. Eight writers on one stream: in one process, taking turns through one StreamWriter; and as if each were in
 * a process of its own (a StreamWriter each), where they conflict and queue on the stream's row lock.
 */
export async function hotStream(db: Kysely<Database>, writers = 8, appendsEach = 150): Promise<Row[]> {
  const n = writers * appendsEach;
  const single = await time(async () => {
    let v = 0;
    const stream = `hot-${++seq}-alone`;
    for (let i = 0; i < n; i++) v = (await appendToStream(db, stream, v, events(1))).version;
  });
  const rows: Row[] = [];
  for (const shared of [true, false]) {
    const stream = `hot-${++seq}`;
    const one = new StreamWriter(db);
    let conflicts = 0;
    const seconds = await time(async () => {
      await Promise.all(
        Array.from({ length: writers }, async () => {
          const writer = shared ? one : new StreamWriter(db);
          // Each writer starts from the last version it saw, as a writer that keeps its state would.
          let seen = 0;
          for (let i = 0; i < appendsEach; i++) {
            const r = await writer.append(stream, seen, () => events(1));
            conflicts += r.conflicts;
            seen = r.version;
          }
        }),
      );
    });
    const how = shared ? 'in one process' : 'in separate processes';
    const policy = `at most ${DEFAULT_CONFLICT_RETRY.attempts} tries: one optimistic, then under the row lock`;
    rows.push(
      row(
        `one hot stream, ${writers} writers ${how}`,
        n / seconds,
        n / single,
        'appends/s',
        `${conflicts} conflicts (${policy}); baseline: one writer on its own stream`,
      ),
    );
  }
  return rows;
}

const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/** 3. Rebuild of the agreements read model from 1,000,000 events against a plain scan of the same events. */
export async function rebuild(
  db: Kysely<Database>,
  databaseUrl: string,
  streams = 10_000,
  perStream = 100,
  seed = true,
): Promise<Row> {
  if (seed) {
    await seedRebuild(db, streams, perStream);
    // Settled, as a live database's events are: otherwise round one's rebuild, which reads before the scan, also
    // sets every new row's hint bits, and meets autovacuum and the checkpoint that the half-gigabyte seed calls for.
    await sql`vacuum analyze events, streams`.execute(db);
    await sql`checkpoint`.execute(db);
  }
  const total = streams * perStream;
  // Every run rebuilds into an empty read model, as the first did.
  await sql`truncate agreements, agreement_parties`.execute(db);
  const ours = await time(async () => {
    await rebuildAgreementsInThreads(db, databaseUrl);
  });
  // The same scan the rebuild reads through (a cursor, a chunk at a time), with nothing done to the rows.
  const scan = await time(async () => {
    for await (const chunk of scanInChunks(db, eventsInStreamOrder(db, { after: '' }), 1000)) void chunk;
  });
  return row(
    `projection rebuild, ${total.toLocaleString('en')} events`,
    total / ours,
    total / scan,
    'events/s',
    `ours: the product's rebuild, ${threads(DEFAULT_REBUILD_THREADS)}; baseline: the same scan through a cursor ` +
      'on one connection, without folding or writing',
  );
}

/** Synthetic agreements: a start, then follow-ups opened (valid events the domain folds). */
async function seedRebuild(db: Kysely<Database>, streams: number, perStream: number): Promise<void> {
  await sql`
    insert into streams (stream_id, version) select 'rb-' || s, ${perStream} from generate_series(1, ${streams}) s`.execute(
    db,
  );
  await sql`
    insert into events (stream_id, version, event_id, type, data, metadata)
    select 'rb-' || s, v, gen_random_uuid(),
      case when v = 1 then 'AgreementStarted' else 'FollowUpOpened' end,
      case when v = 1 then jsonb_build_object('agreementId', 'rb-' || s, 'title', 'Bench ' || s, 'instrument', 'nota_kesepahaman',
             'parties', jsonb_build_array(jsonb_build_object('partyId', 'upt', 'role', 'initiator', 'timeZone', 'Asia/Jakarta'), jsonb_build_object('partyId', 'pemda', 'role', 'counterpart', 'timeZone', 'Asia/Jakarta')),
             'scope', '[]'::jsonb, 'termMonths', 60, 'policy', jsonb_build_object('reminderLeadDays', 2, 'level2AfterDays', 5, 'reviewDays', 10, 'reportEveryMonths', 6))
           else jsonb_build_object('followUpId', 'f' || v, 'title', 'FU ' || v, 'kind', 'follow_up', 'ownerPartyId', 'pemda', 'due', '2027-01-15', 'remindOn', '2027-01-13', 'overdueOn', '2027-01-18', 'level2On', '2027-01-25') end,
      jsonb_build_object('actor', jsonb_build_object('kind', 'system', 'id', 'bench'), 'occurredAt', '2026-11-25T00:00:00.000Z')
    from generate_series(1, ${streams}) s, generate_series(1, ${perStream}) v`.execute(db);
}
