// Notices an activity that keeps failing: past a number of attempts it logs a warning with the agreement id and
// counts the agreement in a gauge, until an attempt succeeds or fails for good. See the README's stuck-agreement
// recipe.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { EngineMetrics } from './metrics.js';

export const DEFAULT_STUCK_AFTER_ATTEMPTS = 5;

/**
 * How long after its last failed attempt an entry still counts: past two of the activity's longest retry intervals
 * plus its timeout no further attempt came, so it was released or cancelled.
 */
// appendEvents counts the engine's step that also sends (appendEventsAndSend), whose timeout is two minutes.
export const STUCK_WINDOW_MS: Record<string, number> = { appendEvents: 180_000, deliverNotification: 11 * 60_000 };

/** This activity's attempt, counted from 1. */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside a worker (a test of the function itself)
  }
}

export class StuckWatch {
  /** activity -> id -> when its last failing attempt past the threshold started */
  private readonly stuck = new Map<string, Map<string, number>>();

  constructor(
    private readonly afterAttempts: number,
    private readonly log: Logger,
    metrics?: EngineMetrics,
  ) {
    // Counted when scraped, so an entry nobody retries any more drops out by itself.
    if (metrics) metrics.stuckSource.count = (activity) => this.count(activity);
  }

  /** Runs one attempt of `activity` for `key` (an agreement or notification id), watching how many it took. */
  async attempt<T>(
    activity: string,
    key: { agreementId?: string; notificationId?: string },
    run: () => Promise<T>,
  ): Promise<T> {
    const id = key.agreementId ?? key.notificationId ?? 'unknown';
    const attempt = currentAttempt();
    if (attempt >= this.afterAttempts) {
      this.entries(activity).set(id, Date.now());
      this.log.warn({ ...key, activity, attempt }, 'activity still failing after many attempts; the agreement waits');
    }
    try {
      const result = await run();
      this.clear(activity, id);
      return result;
    } catch (err) {
      // A failure that will not be retried ends the wait as surely as a success.
      if (err instanceof ApplicationFailure && err.nonRetryable) this.clear(activity, id);
      throw err;
    }
  }

  private entries(activity: string): Map<string, number> {
    let entries = this.stuck.get(activity);
    if (!entries) this.stuck.set(activity, (entries = new Map()));
    return entries;
  }

  private clear(activity: string, id: string): void {
    if (this.entries(activity).delete(id)) this.log.info({ activity, id }, 'activity no longer stuck');
  }

  /** Agreements (or e-mails) whose `activity` is stuck now. */
  count(activity: string): number {
    const window = STUCK_WINDOW_MS[activity] ?? 90_000;
    const entries = this.entries(activity);
    for (const [id, at] of entries) if (Date.now() - at > window) entries.delete(id);
    return entries.size;
  }
}
