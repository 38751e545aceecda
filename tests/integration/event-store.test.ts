// The event store on real PostgreSQL: concurrency, idempotent retries, contiguous versions, projections.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpectedVersionConflictError, appendToStream } from '../../activities/event-store/append.js';
import { readStream, toRecordedEvent } from '../../activities/event-store/read.js';
import { appendWithRetry, backoffMs, DEFAULT_CONFLICT_RETRY, StreamWriter } from '../../bench/stream-writer.js';
import {
  projectAgreement,
  rebuildAgreements,
  streamRanges,
  type StreamRange,
} from '../../activities/projections/agreements.js';
import { rebuildAgreementsInThreads } from '../../activities/projections/rebuild/in-threads.js';
import { inlineProjections } from '../../activities/projections/inline.js';
import type { DomainEvent, RecordedEvent } from '../../domain/events.js';
import { evolve, initialState } from '../../domain/evolve.js';
import { toView } from '../../domain/view.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createDb, scanInChunks } from '../../infra/connections.js';
import { draft1, inDrafting, inSigning } from '../unit/fixtures.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('eventstore');
});
afterAll(async () => t?.drop());

let n = 0;
const recorded = (events: DomainEvent[]): RecordedEvent[] =>
  events.map((e) => ({
    ...e,
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    meta: { actor: { kind: 'token', id: 'test' }, occurredAt: new Date(Date.UTC(2026, 1, 6, 2, 0, n)).toISOString() },
  }));

/** Appends like the workflow does: events plus the view after them. */
async function appendAs(streamId: string, state: ReturnType<typeof initialState>, events: RecordedEvent[]) {
  const next = events.reduce(evolve, state);
  const result = await appendToStream(t.db, streamId, state.version, events, [projectAgreement(toView(next))]);
  return { result, next };
}

describe('event store', () => {
  it('appends with versions contiguous from 1 and keeps the view in the same transaction', async () => {
    const events = recorded(inDrafting);
    const { result, next } = await appendAs('s1', initialState('s1'), events);
    expect(result).toEqual({ version: 4, alreadyStored: false });
    const rows = await readStream(t.db, 's1');
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(rows.every((r) => r.transaction_id !== null)).toBe(true);
    const view = await t.db
      .selectFrom('agreements')
      .select(['view', 'version', 'stage'])
      .where('id', '=', 's1')
      .executeTakeFirstOrThrow();
    expect(view).toMatchObject({ version: 4, stage: 'drafting' });
    expect(view.view).toEqual(JSON.parse(JSON.stringify(toView(next))));
  });

  it('stores nothing twice when an append is retried with the same event ids', async () => {
    const state = initialState('s2');
    const events = recorded(inDrafting.slice(0, 2));
    await appendAs('s2', state, events);
    const retry = await appendAs('s2', state, events);
    expect(retry.result).toEqual({ version: 2, alreadyStored: true });
    const rows = await readStream(t.db, 's2');
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id));
  });

  it('refuses a stale expected version with a typed conflict and writes nothing', async () => {
    const { next } = await appendAs('s3', initialState('s3'), recorded(inDrafting));
    const stale = { ...next, version: 2 };
    await expect(appendAs('s3', stale, recorded([draft1]))).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    await expect(appendAs('s3', stale, recorded([draft1]))).rejects.toMatchObject({
      streamId: 's3',
      expectedVersion: 2,
      actualVersion: 4,
    });
    expect((await readStream(t.db, 's3')).length).toBe(4);
  });

  it('lets exactly one of two concurrent writers win', async () => {
    const { next } = await appendAs('s4', initialState('s4'), recorded(inDrafting));
    const results = await Promise.allSettled([
      appendAs('s4', next, recorded([draft1])),
      appendAs('s4', next, recorded([draft1])),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ExpectedVersionConflictError);
    expect((await readStream(t.db, 's4')).map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets exactly one of two first writers create a stream', async () => {
    const results = await Promise.allSettled([
      appendAs('s5', initialState('s5'), recorded(inDrafting)),
      appendAs('s5', initialState('s5'), recorded(inDrafting)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await readStream(t.db, 's5')).length).toBe(4);
  });

  it('rolls the events back when an inline write fails', async () => {
    const failing = () => sql`insert into streams (stream_id, version) values (null, 0) returning stream_id`;
    await expect(appendToStream(t.db, 's6', 0, recorded(inDrafting), [failing])).rejects.toThrow();
    expect(await readStream(t.db, 's6')).toEqual([]);
    expect(await t.db.selectFrom('streams').selectAll().where('stream_id', '=', 's6').execute()).toEqual([]);
  });

  it('rebuilds the projections from the events alone, giving the same rows', async () => {
    let state = initialState('s7');
    for (const event of recorded(inSigning)) ({ next: state } = await appendAs('s7', state, [event]));
    const before = await t.db.selectFrom('agreements').selectAll().orderBy('id').execute();
    await t.db.deleteFrom('agreements').execute();
    const count = await rebuildAgreements(t.db, { chunkSize: 3, writeBatch: 2 });
    const after = await t.db.selectFrom('agreements').selectAll().orderBy('id').execute();
    expect(count).toBe(before.length);
    expect(after).toEqual(before);
    const events = (await readStream(t.db, 's7')).map(toRecordedEvent);
    expect(events.map((e) => e.type)).toEqual(inSigning.map((e) => e.type));
  });

  it('rebuilds in threads, range by range, giving the same rows as the appends wrote', async () => {
    for (let i = 0; i < 9; i++) {
      const events = recorded(i % 2 ? inSigning : inDrafting);
      const view = toView(events.reduce(evolve, initialState(`r${i}`)));
      await appendToStream(t.db, `r${i}`, 0, events, inlineProjections(view, events));
    }
    const ranges = await streamRanges(t.db, 4);
    const streams = (await t.db.selectFrom('streams').select('stream_id').orderBy('stream_id').execute()).map(
      (s) => s.stream_id,
    );
    // Every stream in exactly one range, the last range open.
    const inRange = (id: string, r: StreamRange) => id > r.after && (r.until === undefined || id <= r.until);
    expect(streams.map((id) => [id, ranges.filter((r) => inRange(id, r)).length])).toEqual(
      streams.map((id) => [id, 1]),
    );
    expect(ranges).toHaveLength(4);
    expect(ranges.at(-1)!.until).toBeUndefined();
    const agreements = () => t.db.selectFrom('agreements').selectAll().orderBy('id').execute();
    const parties = () =>
      t.db.selectFrom('agreement_parties').selectAll().orderBy('agreement_id').orderBy('party_id').execute();
    const before = { agreements: await agreements(), parties: await parties() };
    await t.db.deleteFrom('agreements').execute();
    await t.db.deleteFrom('agreement_parties').execute();
    const count = await rebuildAgreementsInThreads(t.db, t.url, { threads: 2, chunkSize: 3, writeBatch: 2 });
    expect(count).toBe(streams.length);
    expect({ agreements: await agreements(), parties: await parties() }).toEqual(before);
  });

  it('fails the rebuild when a write fails, and never loses that failure while the scan goes on', async () => {
    for (let i = 0; i < 6; i++) {
      const events = recorded(inDrafting);
      const view = toView(events.reduce(evolve, initialState(`w${i}`)));
      await appendToStream(t.db, `w${i}`, 0, events, inlineProjections(view, events));
    }
    // Checked only for rows written from now on: the rebuild's rewrite of w3 is refused.
    await sql`alter table agreements add constraint refuse_w3 check (id <> 'w3') not valid`.execute(t.db);
    try {
      await expect(rebuildAgreements(t.db, { chunkSize: 2, writeBatch: 1 })).rejects.toThrow(/refuse_w3/);
      await expect(
        rebuildAgreementsInThreads(t.db, t.url, { threads: 2, chunkSize: 2, writeBatch: 1 }),
      ).rejects.toThrow(/refuse_w3/);
    } finally {
      await sql`alter table agreements drop constraint refuse_w3`.execute(t.db);
    }
    // The rebuild after the refusal is whole again.
    const streams = await t.db.selectFrom('streams').select('stream_id').execute();
    expect(await rebuildAgreements(t.db)).toBe(streams.length);
  });

  it('scans through a cursor a chunk at a time, and gives the connection back when stopped early or failing', async () => {
    // One connection: a scan that kept it would leave the next statement waiting for ever.
    const one = createDb(t.url, 1);
    try {
      const numbers = sql<{ n: number }>`select n from generate_series(1, 7) n order by n`;
      const query = { compile: () => numbers.compile(one) };
      const chunks: number[][] = [];
      for await (const chunk of scanInChunks(one, query, 3)) chunks.push(chunk.map((r) => r.n));
      expect(chunks).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      for await (const chunk of scanInChunks(one, query, 3)) if (chunk.length > 0) break;
      const failing = sql`select 1 / (n - 4) from generate_series(1, 7) n`;
      const read = async () => {
        for await (const _ of scanInChunks(one, { compile: () => failing.compile(one) }, 2));
      };
      await expect(read()).rejects.toThrow(/division by zero/);
      expect((await sql<{ ok: number }>`select 1 as ok`.execute(one)).rows).toEqual([{ ok: 1 }]);
    } finally {
      await one.destroy();
    }
  });

  it("keeps each party's row of the list index at the agreement's stage as it changes, and a rebuild agrees", async () => {
    let state = initialState('s8');
    const stages: string[][] = [];
    for (const event of recorded(inSigning)) {
      const next = evolve(state, event);
      await appendToStream(t.db, 's8', state.version, [event], inlineProjections(toView(next), [event]));
      state = next;
      const rows = await t.db
        .selectFrom('agreement_parties')
        .select('stage')
        .where('agreement_id', '=', 's8')
        .execute();
      stages.push([...new Set(rows.map((r) => r.stage))]);
    }
    // One stage for every party at every step, and the view's stage after each.
    expect(stages.every((s) => s.length === 1)).toBe(true);
    expect(stages.at(-1)).toEqual([state.stage]);
    expect(new Set(stages.flat())).toEqual(new Set(['exploration', 'drafting', 'signing']));
    const before = await t.db.selectFrom('agreement_parties').selectAll().where('agreement_id', '=', 's8').execute();
    await t.db
      .updateTable('agreement_parties')
      .set({ stage: 'exploration' })
      .where('agreement_id', '=', 's8')
      .execute();
    await rebuildAgreements(t.db, { chunkSize: 3, writeBatch: 2 });
    const after = await t.db.selectFrom('agreement_parties').selectAll().where('agreement_id', '=', 's8').execute();
    expect(after).toEqual(before);
  });

  it('lets writers on one stream, in one process or in several, all land with bounded retries', async () => {
    const note = (w: number, i: number): RecordedEvent[] =>
      recorded([{ type: 'FollowUpCompleted', data: { followUpId: `w${w}`, note: String(i) } }]);
    // One process: the writers take turns and never conflict.
    const shared = new StreamWriter(t.db);
    const inOne = await Promise.all(
      Array.from({ length: 4 }, (_, w) =>
        Promise.all(Array.from({ length: 5 }, (_, i) => shared.append('hot-1', 0, () => note(w, i)))),
      ),
    );
    expect(inOne.flat().reduce((sum, r) => sum + r.conflicts, 0)).toBe(0);
    // Separate processes (a writer each, all starting from version 0): they conflict, then queue on the row lock.
    const apart = await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        const writer = new StreamWriter(t.db);
        const results = [];
        for (let i = 0; i < 5; i++) results.push(await writer.append('hot-2', 0, () => note(w, i)));
        return results;
      }),
    );
    expect(apart.flat().every((r) => r.conflicts < DEFAULT_CONFLICT_RETRY.attempts)).toBe(true);
    expect(apart.flat().some((r) => r.conflicts > 0)).toBe(true);
    for (const stream of ['hot-1', 'hot-2']) {
      const rows = await readStream(t.db, stream);
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
    // A stream that never calms down is an error after the last try, not a loop.
    const never = () => {
      throw new ExpectedVersionConflictError('x', 0, 1);
    };
    await expect(
      appendWithRetry(t.db, 'hot-3', 0, never, { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }),
    ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
    expect(backoffMs({ attempts: 5, baseDelayMs: 2, maxDelayMs: 100 }, 10, () => 1)).toBe(100);
    expect(backoffMs({ attempts: 5, baseDelayMs: 2, maxDelayMs: 100 }, 3, () => 0.5)).toBe(4);
  });
});
