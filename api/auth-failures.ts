// Refused tokens, counted per client address: a client that keeps guessing gets 429 before its next guess is checked.

export class FailureWindow {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();

  /** `limit` refusals a minute per address; 0 turns the count off. */
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const entry = this.counts.get(key);
    if (this.limit === 0 || !entry || entry.resetAt <= now) return 0;
    return entry.count >= this.limit ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  record(key: string, now = Date.now()): void {
    if (this.counts.size > 10_000) this.prune(now);
    const entry = this.counts.get(key);
    if (!entry || entry.resetAt <= now) this.counts.set(key, { count: 1, resetAt: now + this.windowMs });
    else entry.count += 1;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.counts) if (entry.resetAt <= now) this.counts.delete(key);
  }
}
