/**
 * Client-side pacing from the server's rate-limit headers (`ratelimit-*` or `X-RateLimit-*`):
 * requests flow at full speed while the window has budget, and wait for the reset once the
 * remaining budget is spoken for by requests already in flight — so a run stays under the limit
 * instead of bouncing off 429s.
 */
export class Pacer {
  private remaining?: number;
  private resetAt = 0;
  private inFlight = 0;
  waitedMs = 0;
  private announced = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** maxWaitMs: a reset further away than this is not waited for — the request goes and the API's own answer decides. */
    private readonly options: { maxWaitMs?: number; signal?: AbortSignal; onWait?: (untilEpochMs: number) => void } = {},
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      this.options.signal?.throwIfAborted();
      const now = this.now();
      if (this.remaining !== undefined && now >= this.resetAt) this.remaining = undefined;
      if (this.remaining === undefined || this.remaining - this.inFlight > 0) break;
      if (this.resetAt - now > (this.options.maxWaitMs ?? Infinity)) break;
      const wait = Math.max(50, this.resetAt - now) + Math.floor(Math.random() * 100);
      // One line per window, however many requests wait for it.
      if (wait >= 1000 && this.announced !== this.resetAt) {
        this.announced = this.resetAt;
        this.options.onWait?.(this.resetAt);
      }
      this.waitedMs += wait;
      await sleep(wait, this.options.signal);
    }
    this.inFlight += 1;
  }

  release(headers: Record<string, string | string[] | undefined> | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (!headers) return;
    const remaining = Number(headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining']);
    const reset = Number(headers['ratelimit-reset'] ?? headers['x-ratelimit-reset']);
    if (!Number.isFinite(remaining)) return;
    const resetAt = Number.isFinite(reset) ? resetToEpochMs(reset, this.now()) : this.resetAt;
    // Responses arrive out of order: within one window the smallest remaining is the true one; a
    // later reset time means a new window, whose count starts afresh.
    const newWindow = this.remaining === undefined || resetAt > this.resetAt + 1000;
    this.remaining = newWindow ? remaining : Math.min(this.remaining!, remaining);
    if (newWindow || resetAt > this.resetAt) this.resetAt = resetAt;
  }
}

/** `ratelimit-reset` is seconds from now; `X-RateLimit-Reset` is a Unix timestamp. Tell them apart by size. */
export function resetToEpochMs(value: number, now: number): number {
  return value > 1e9 ? value * 1000 : now + value * 1000;
}

/** setTimeout that an abort cuts short (with the abort's error). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
