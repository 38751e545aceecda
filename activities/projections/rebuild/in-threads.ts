// The agreements read model rebuilt by several threads at once: the streams cut into ranges by their key, each
// range folded and written by a thread on its own connections. A thread keeps PostgreSQL busier than itself (on
// Node 26, 5.7 s of PostgreSQL CPU to 4.5 s of Node for a million events, issue 33), so a thread goes with two cores.
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import { Piscina } from 'piscina';
import type { Database } from '../../../schema/database.js';
import { rebuildAgreements, streamRanges, type RebuildBatches } from '../agreements.js';
import type { RebuildJob } from './task.js';

// From source (tsx, vitest) the thread loads the TypeScript task through tsx; the built image runs task.js.
const TASK = new URL(import.meta.url.endsWith('.ts') ? './task-from-source.mjs' : './task.js', import.meta.url).href;

/** Ranges per thread: enough that a thread that finishes early takes another, few enough to connect rarely. */
const RANGES_PER_THREAD = 4;

export interface RebuildOptions extends RebuildBatches {
  threads?: number;
}

/** One thread for every two cores, at most 4: each thread's reads and writes keep about a core of PostgreSQL busy. */
export const DEFAULT_REBUILD_THREADS = Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));

/**
 * Replays every stream in `threads` threads and rewrites the agreements read model. One thread is this one: a pool
 * would only add a thread's start.
 */
export async function rebuildAgreementsInThreads(
  db: Kysely<Database>,
  databaseUrl: string,
  { threads = DEFAULT_REBUILD_THREADS, ...batches }: RebuildOptions = {},
): Promise<number> {
  if (threads <= 1) return rebuildAgreements(db, batches);
  const ranges = await streamRanges(db, threads * RANGES_PER_THREAD);
  const pool = new Piscina({ filename: TASK, name: 'rebuild', minThreads: threads, maxThreads: threads });
  try {
    // A failed range ends the rebuild, but only after the others have settled: no thread is stopped mid-write.
    const outcomes = await Promise.allSettled(
      ranges.map((range) => pool.run({ databaseUrl, range, batches } satisfies RebuildJob) as Promise<number>),
    );
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.reduce((n, o) => n + (o.status === 'fulfilled' ? o.value : 0), 0);
  } finally {
    await pool.destroy();
  }
}
