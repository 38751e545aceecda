// One range of streams rebuilt in a thread of the rebuild's pool, on connections of its own.
import { createDb } from '../../../infra/connections.js';
import { rebuildStreams, REBUILD_WRITERS, type RebuildBatches, type StreamRange } from '../agreements.js';

export interface RebuildJob {
  databaseUrl: string;
  range: StreamRange;
  batches: RebuildBatches;
}

/** How many agreements the range held. */
export async function rebuild(job: RebuildJob): Promise<number> {
  // The range's scan and its writes in flight, each on a connection.
  const db = createDb(job.databaseUrl, REBUILD_WRITERS + 1);
  try {
    return await rebuildStreams(db, job.range, job.batches);
  } finally {
    await db.destroy();
  }
}
