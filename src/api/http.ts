import got, { HTTPError, RequestError, type Got, type OptionsInit } from 'got';
import { ApiError, messagesOf } from './errors.js';
import { Semaphore } from '../core/concurrency.js';
import { Pacer, resetToEpochMs } from './pacer.js';
import type { TokenCache } from './token.js';

/** The page size list requests ask for (the server may clamp it). */
export const LIST_PAGE_SIZE = 1000;

export interface HttpOptions {
  baseUrl: string;
  tokens: TokenCache;
  concurrency: number;
  /** Base of the exponential backoff, ms (default 500). */
  retryBaseMs?: number;
  retryLimit?: number;
  /** Receives one redacted line per request when --debug is on. */
  trace?: (line: string) => void;
  /** Page size asked of list endpoints (the server may clamp it). */
  pageSize?: number;
  /** Sees every response's status and headers (`doctor` reads the rate-limit header names). */
  observe?: (response: ObservedResponse) => void;
}

export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The TLS protocol negotiated (https only), e.g. TLSv1.3. */
  tls?: string;
}

export interface HttpClient {
  get<T = unknown>(path: string, searchParams?: Record<string, string | number>): Promise<T>;
  /** Every item of a HAL collection, following page / totalPages. */
  list<T = Record<string, unknown>>(path: string, key: string, searchParams?: Record<string, string | number>): Promise<T[]>;
  send<T = unknown>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  stats: { requests: number; retries: number; rateLimitWaitMs(): number };
}

interface HalBody {
  _embedded?: Record<string, unknown[]>;
  page?: { number: number; totalPages: number };
}

/**
 * The one HTTP edge: got configured once with the base URL, bearer auth (one refresh on 401),
 * retries with backoff + jitter (429 for every method; 5xx and network errors only for
 * idempotent methods — a POST that may have committed is never blindly repeated), rate-limit
 * pacing and a concurrency limit.
 */
export function createHttp(options: HttpOptions): HttpClient {
  // Bulk endpoints have their own, smaller limit and their own headers: pace each family apart.
  const pacers = { general: new Pacer(), bulk: new Pacer() };
  const pacerFor = (url: unknown) => (String(url ?? '').split('?')[0].endsWith('/bulk') ? pacers.bulk : pacers.general);
  const semaphore = new Semaphore(Math.max(1, options.concurrency));
  const base = options.retryBaseMs ?? 500;
  const stats = { requests: 0, retries: 0, rateLimitWaitMs: () => pacers.general.waitedMs + pacers.bulk.waitedMs };
  const trace = options.trace;

  const client: Got = got.extend({
    prefixUrl: options.baseUrl,
    responseType: 'json',
    timeout: { request: 60_000 },
    retry: {
      limit: options.retryLimit ?? 5,
      methods: ['GET', 'PUT', 'DELETE', 'POST'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      maxRetryAfter: 5 * 60_000,
      calculateDelay: ({ attemptCount, retryOptions, error, retryAfter }) => {
        if (attemptCount > retryOptions.limit) return 0;
        // The one re-send after a token refresh (afterResponse hook) comes through here too.
        if (error.code === 'ERR_RETRYING') return 1;
        const status = error.response?.statusCode;
        const method = error.options.method;
        const retryable = status === 429 || (method !== 'POST' && (status === undefined ? isNetworkError(error) : retryOptions.statusCodes.includes(status)));
        if (!retryable) return 0;
        // 0 means "do not retry" to got, so every delay is at least 1 ms.
        const jitter = 1 + Math.floor(Math.random() * base);
        if (status === 429) {
          if (retryAfter !== undefined) return retryAfter + jitter;
          const reset = Number(error.response?.headers['ratelimit-reset'] ?? error.response?.headers['x-ratelimit-reset']);
          if (Number.isFinite(reset)) return Math.max(0, resetToEpochMs(reset, Date.now()) - Date.now()) + jitter;
        }
        return base * 2 ** (attemptCount - 1) + jitter;
      },
    },
    hooks: {
      beforeRequest: [
        async (request) => {
          await pacerFor(request.url).acquire();
          stats.requests += 1;
          const token = await options.tokens.get();
          request.headers.authorization = `Bearer ${token}`;
          (request.context as { startedAt?: number }).startedAt = Date.now();
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          pacerFor(response.url).release(response.headers);
          const context = response.request.options.context as { startedAt?: number; refreshed?: boolean };
          trace?.(`${response.request.options.method} ${redactUrl(response.url)} → ${response.statusCode} (${Date.now() - (context.startedAt ?? Date.now())} ms)`);
          options.observe?.({ method: String(response.request.options.method), path: redactUrl(response.url), status: response.statusCode, headers: response.headers,
            tls: (response.socket as { getProtocol?: () => string | null } | undefined)?.getProtocol?.() ?? undefined });
          if (response.statusCode === 401 && !context.refreshed) {
            const rejected = String(response.request.options.headers.authorization ?? '').replace(/^Bearer /, '');
            const token = await options.tokens.get(true, rejected);
            return retryWithMergedOptions({ headers: { authorization: `Bearer ${token}` }, context: { refreshed: true } });
          }
          return response;
        },
      ],
      beforeRetry: [
        (error, retryCount) => {
          stats.retries += 1;
          if (!error.response) pacerFor(error.options.url).release(undefined);
          trace?.(`retry #${retryCount} of ${error.options.method} ${redactUrl(String(error.options.url))} after ${error.response?.statusCode ?? error.code}`);
        },
      ],
    },
  });

  const toApiError = (cause: unknown, method: string, path: string): ApiError => {
    // A failed token request surfaces as itself, not wrapped in the request that needed the token.
    const inner = (cause as { cause?: unknown })?.cause;
    if (cause instanceof ApiError) return cause;
    if (inner instanceof ApiError) return inner;
    if (cause instanceof HTTPError) return new ApiError(method, path, cause.response.statusCode, messagesOf(cause.response.body));
    if (cause instanceof RequestError) {
      if (!cause.response) pacerFor(cause.options?.url).release(undefined);
      return new ApiError(method, path, 0, [cause.message], cause.code);
    }
    return new ApiError(method, path, 0, [(cause as Error).message]);
  };

  const call = <T>(method: string, path: string, init: OptionsInit): Promise<T> =>
    semaphore.run(async () => {
      try {
        return (await client(relative(path), { method, ...init } as OptionsInit & { isStream?: false })).body as T;
      } catch (cause) {
        throw toApiError(cause, method, path);
      }
    });

  return {
    stats,
    get: (path, searchParams) => call('GET', path, { searchParams }),
    send: (method, path, body, headers) => call(method, path, body === undefined ? { headers } : { json: body, headers }),
    list: <T>(path: string, key: string, searchParams: Record<string, string | number> = {}) =>
      semaphore.run(async () => {
        const query = { ...searchParams, page: 0, size: options.pageSize ?? LIST_PAGE_SIZE };
        try {
          return (await client.paginate.all<T, HalBody>(relative(path), {
            searchParams: query,
            pagination: {
              transform: (response) => (response.body._embedded?.[key] ?? []) as T[],
              paginate: ({ response }) => {
                const page = response.body.page;
                if (!page || page.number + 1 >= page.totalPages) return false;
                return { searchParams: { ...query, page: page.number + 1 } };
              },
              // The default stack-safety limit would cut a 10,000-producer listing short.
              requestLimit: 100_000,
            },
          })) as T[];
        } catch (cause) {
          throw toApiError(cause, 'GET', path);
        }
      }),
  };
}

/** got's prefixUrl needs paths without a leading slash. */
function relative(path: string): string {
  return path.replace(/^\//, '');
}

function isNetworkError(error: RequestError): boolean {
  return ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED'].includes(error.code);
}

/** Query strings may carry emails; traces show the path only. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url.split('?')[0];
  }
}
