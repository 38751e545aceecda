// Only the benchmark (bench/event-store.ts, "one hot stream") writes a stream from several writers: in the
// product each stream has one writer, its workflow. Kept here, beside the benchmark that uses it.
// Writers that may share a stream. Within one process they take turns (a queue per stream), so they never
// conflict with each other and each starts from the version the last one wrote. The first try is optimistic:
// one statement, as every append. After a conflict, the writer queues on the stream's row lock instead of
// racing again: it reads the version under `for update`, decides on it, and appends in the same transaction,
// so nobody can move the stream in between. Only two writers creating the same stream at once can still
// conflict under the lock; those tries are bounded and spread out (full jitter).
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../domain/events.js';
import type { Database } from '../schema/database.js';
import {
  appendToStream,
  ExpectedVersionConflictError,
  type AppendResult,
  type InlineWrite,
} from '../activities/event-store/append.js';

export interface ConflictRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first wait's ceiling; each later one doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CONFLICT_RETRY: ConflictRetry = { attempts: 5, baseDelayMs: 2, maxDelayMs: 100 };

export interface RetriedAppend extends AppendResult {
  /** Conflicts met (and retried) on the way. */
  conflicts: number;
}

/** Full jitter: a wait anywhere between nothing and the attempt's ceiling. */
export const backoffMs = (policy: ConflictRetry, conflict: number, random = Math.random): number =>
  random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (conflict - 1));

type Decide = (version: number) => RecordedEvent[] | Promise<RecordedEvent[]>;

/** Decides and appends while holding the stream's row (a stream not yet created has none to hold). */
async function appendLocked(
  db: Kysely<Database>,
  streamId: string,
  decide: Decide,
  inline: InlineWrite[],
): Promise<AppendResult> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      version: number;
    }>`select version from streams where stream_id = ${streamId} for update`.execute(trx);
    const version = rows[0]?.version ?? 0;
    return appendToStream(trx, streamId, version, await decide(version), inline);
  });
}

/**
 * Appends what `decide` makes of the stream at a version, starting from `version` (the writer's last read).
 * Throws the last conflict when the tries run out.
 */
export async function appendWithRetry(
  db: Kysely<Database>,
  streamId: string,
  version: number,
  decide: Decide,
  policy: ConflictRetry = DEFAULT_CONFLICT_RETRY,
  inline: InlineWrite[] = [],
  /** The stream is known to be contended: go straight to the lock. */
  contended = false,
): Promise<RetriedAppend> {
  if (!contended) {
    try {
      return { ...(await appendToStream(db, streamId, version, await decide(version), inline)), conflicts: 0 };
    } catch (err) {
      if (!(err instanceof ExpectedVersionConflictError)) throw err;
    }
  }
  for (let conflict = contended ? 0 : 1; ; conflict++) {
    try {
      return { ...(await appendLocked(db, streamId, decide, inline)), conflicts: conflict };
    } catch (err) {
      if (!(err instanceof ExpectedVersionConflictError) || conflict + 1 >= policy.attempts) throw err;
      await new Promise((r) => setTimeout(r, backoffMs(policy, conflict + 1)));
    }
  }
}

/** How long a stream counts as contended after a conflict. */
const CONTENDED_FOR_MS = 1000;

/**
 * Appends for the writers of one process: those on the same stream take turns, each deciding on the version
 * the one before it wrote, so only writers in other processes can conflict with them.
 */
export class StreamWriter {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly known = new Map<string, number>();
  /** When each stream last met a writer from elsewhere: for a while after, appends take the lock first. */
  private readonly contendedAt = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly policy: ConflictRetry = DEFAULT_CONFLICT_RETRY,
  ) {}

  append(streamId: string, version: number, decide: Decide, inline: InlineWrite[] = []): Promise<RetriedAppend> {
    const turn = (this.tails.get(streamId) ?? Promise.resolve()).then(async () => {
      const from = Math.max(version, this.known.get(streamId) ?? 0);
      const contended = Date.now() - (this.contendedAt.get(streamId) ?? -Infinity) < CONTENDED_FOR_MS;
      const result = await appendWithRetry(this.db, streamId, from, decide, this.policy, inline, contended);
      this.known.set(streamId, result.version);
      if (result.conflicts > 0) this.contendedAt.set(streamId, Date.now());
      else if (!contended) this.contendedAt.delete(streamId);
      return result;
    });
    const tail = turn.catch(() => undefined);
    this.tails.set(streamId, tail);
    // The last turn on a stream forgets it, so the maps hold only streams being written.
    void tail.then(() => {
      if (this.tails.get(streamId) === tail) {
        this.tails.delete(streamId);
        this.known.delete(streamId);
      }
    });
    return turn;
  }
}
