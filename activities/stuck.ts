// Notices an activity that keeps failing: past a number of attempts it logs a warning with the agreement id and
// counts the agreement in a gauge, until an attempt succeeds or fails for good. See the README's stuck-agreement recipe.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { EngineMetrics } from './metrics.js';

export const DEFAULT_STUCK_AFTER_ATTEMPTS = 5;

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside a worker (a test of the function itself)
  }
}

export class StuckWatch {
  private readonly stuck = new Map<string, Set<string>>();

  constructor(private readonly afterAttempts: number, private readonly log: Logger, private readonly metrics?: EngineMetrics) {}

  /** Runs one attempt of `activity` for `key` (an agreement or notification id), watching how many it took. */
  async attempt<T>(activity: string, key: { agreementId?: string; notificationId?: string }, run: () => Promise<T>): Promise<T> {
    const id = key.agreementId ?? key.notificationId ?? 'unknown';
    const attempt = currentAttempt();
    if (attempt >= this.afterAttempts) {
      this.mark(activity, id, true);
      this.log.warn({ ...key, activity, attempt }, 'activity still failing after many attempts; the agreement waits');
    }
    try {
      const result = await run();
      this.mark(activity, id, false);
      return result;
    } catch (err) {
      // A failure that will not be retried ends the wait as surely as a success.
      if (err instanceof ApplicationFailure && err.nonRetryable) this.mark(activity, id, false);
      throw err;
    }
  }

  private mark(activity: string, id: string, stuck: boolean): void {
    const ids = this.stuck.get(activity) ?? new Set<string>();
    const before = ids.size;
    if (stuck) ids.add(id);
    else ids.delete(id);
    this.stuck.set(activity, ids);
    if (ids.size !== before) {
      this.metrics?.stuckActivities.set({ activity }, ids.size);
      if (!stuck) this.log.info({ activity, id }, 'activity no longer stuck');
    }
  }
}
