/**
 * Fixed windows, like the API's per-minute limits (benchmarks may shorten the window to scale a
 * run down in time); `limit` 0 means unlimited.
 */
export class RateWindow {
  private windowStart = 0;
  private used = 0;

  constructor(readonly limit: number, private readonly now: () => number, private readonly windowMs = 60_000) {}

  /** Counts one request; returns the headers to send and whether it is over the limit. */
  take(): { allowed: boolean; remaining: number; resetSeconds: number } {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
    if (this.used >= this.limit) return { allowed: false, remaining: 0, resetSeconds };
    this.used += 1;
    return { allowed: true, remaining: this.limit - this.used, resetSeconds };
  }
}

/** A scripted failure for tests: the next `times` matching requests fail, before or after committing. */
export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  /** true: the write is committed, then the answer is replaced by the error (an ambiguous failure). */
  afterCommit?: boolean;
  /**
   * 'reset': destroy the socket instead of answering; 'truncate': send the headers and half the
   * body, then cut the connection (a read cut off mid-body).
   */
  mode?: 'status' | 'reset' | 'truncate';
  /**
   * Answer with this instead of the real body (after the request is processed and committed): a
   * misbehaving API for tests. A string is sent as-is with content-type text/html.
   */
  rewrite?: (body: unknown, request: { query: URLSearchParams }) => unknown;
}
