/** One error type for every API failure: method, path, status and the API's own messages. */
export class ApiError extends Error {
  /** What to do, for people: printed after the message, not part of it (doctor keeps its own words). */
  hint?: string;

  constructor(
    readonly method: string,
    readonly path: string,
    /** HTTP status, or 0 for a network failure (reset, timeout, refused). */
    readonly status: number,
    readonly messages: string[],
    /** Network error code (ECONNRESET, ETIMEDOUT…) when status is 0. */
    readonly code?: string,
  ) {
    super(`${method} ${path} → ${status === 0 ? code ?? 'network error' : status}${messages.length ? `: ${messages.join('; ')}` : ''}`);
  }

  /** The request may or may not have taken effect: timeout, reset, 5xx. */
  get ambiguous(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Pull human messages out of any of the error bodies the APIs are documented to send. */
export function messagesOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? [body.slice(0, 300)] : [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.messages)) return b.messages.map(String);
  if (Array.isArray(b.errorMessage)) return b.errorMessage.map(String);
  if (typeof b.message === 'string') return [b.message];
  if (typeof b.error_description === 'string') return [b.error_description];
  if (typeof b.error === 'string') return [b.error];
  return [];
}
