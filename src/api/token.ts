/**
 * A bearer token reused until 5 minutes before it expires, fetched once however many requests
 * need it at the same moment, and refreshed on demand after a 401. A failed fetch is final for the
 * run: requests queued behind it fail with its error instead of each starting a fetch of its own.
 */
export class TokenCache {
  private token?: string;
  private expiresAt = 0;
  private margin = 0;
  private pending?: Promise<string>;
  /** A fetch that failed after its own bounded retries: every later caller gets the same answer, no new fetch. */
  private failure?: unknown;
  fetches = 0;
  /** What the last grant said about itself (never the token): for `doctor`. */
  granted?: { expiresIn: number; scope?: string };

  constructor(
    private readonly fetchToken: () => Promise<{ token: string; expiresIn: number; scope?: string }>,
    private readonly now: () => number = Date.now,
  ) {}

  static readonly REFRESH_MARGIN_MS = 5 * 60 * 1000;

  async get(forceRefresh = false, rejected?: string): Promise<string> {
    if (this.failure) throw this.failure;
    // A 401 on an old token must not throw away a token another request already refreshed.
    if (forceRefresh && rejected !== undefined && this.token !== rejected && this.token) return this.token;
    if (!forceRefresh && this.token && this.now() < this.expiresAt - this.margin) return this.token;
    this.pending ??= this.fetchToken()
      .then(({ token, expiresIn, scope }) => {
        this.fetches += 1;
        this.granted = { expiresIn, scope };
        this.token = token;
        this.expiresAt = this.now() + expiresIn * 1000;
        // Very short lifetimes (tests, odd servers) would otherwise never be reused at all.
        this.margin = Math.min(TokenCache.REFRESH_MARGIN_MS, (expiresIn * 1000) / 2);
        return token;
      }, (cause: unknown) => {
        this.failure = cause;
        throw cause;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
