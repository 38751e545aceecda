// The agreements read model rebuilt by several threads at once: the streams cut into ranges by their key, each
// range folded and written by a thread on its own connections. One Node thread folds about as fast as PostgreSQL
// reads, so with one thread the fold is what a rebuild waits for (issue 33).
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import { Piscina } from 'piscina';
import type { Database } from '../../../schema/database.js';
import { streamRanges, type RebuildBatches } from '../agreements.js';
import type { RebuildJob } from './task.js';

// From source (tsx, vitest) the thread loads the TypeScript task through tsx; the built image runs task.js.
const TASK = new URL(import.meta.url.endsWith('.ts') ? './task-from-source.mjs' : './task.js', import.meta.url).href;

/** Ranges per thread: enough that a thread that finishes early takes another, few enough to connect rarely. */
const RANGES_PER_THREAD = 4;

export interface RebuildOptions extends RebuildBatches {
  threads?: number;
}

/** Replays every stream in `threads` threads (one per core, at most 4) and rewrites the agreements read model. */
export async function rebuildAgreementsInThreads(
  db: Kysely<Database>,
  databaseUrl: string,
  { threads = Math.min(4, availableParallelism()), ...batches }: RebuildOptions = {},
): Promise<number> {
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
