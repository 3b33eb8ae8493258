import got, { HTTPError, RequestError, type Got, type OptionsInit, type RetryOptions } from 'got';
import { ApiError, messagesOf } from './errors.js';
import { Semaphore } from '../core/concurrency.js';
import { checkPage, readHalPage } from './hal.js';
import { Pacer, resetToEpochMs } from './pacer.js';
import type { TokenCache } from './token.js';

/** The page size list requests ask for (the server may clamp it: the answer's `page.size` is used from then on). */
export const LIST_PAGE_SIZE = 1000;

/** Default cap on one wait (Retry-After, rate-limit reset) and on the time spent retrying one request. */
export const DEFAULT_MAX_WAIT_MS = 120_000;

export interface HttpOptions {
  baseUrl: string;
  tokens: TokenCache;
  concurrency: number;
  /** Base of the exponential backoff, ms (default 500). */
  retryBaseMs?: number;
  retryLimit?: number;
  /** Receives one redacted line per request when --debug is on. */
  trace?: (line: string) => void;
  /** Receives one line per retry or rate-limit wait, as it happens (stderr). */
  notice?: (line: string) => void;
  /** Page size asked of list endpoints (the server may clamp it). */
  pageSize?: number;
  /** Sees every response's status and headers (`doctor` reads the rate-limit header names). */
  observe?: (response: ObservedResponse) => void;
  /** Longest wait for a rate limit, and longest time spent retrying one request (default 120 s). */
  maxWaitMs?: number;
  /** Aborting it cancels every request in flight and every retry or wait still pending. */
  signal?: AbortSignal;
}

export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The TLS protocol negotiated (https only), e.g. TLSv1.3. */
  tls?: string;
}

/** A listing whose first page has been read: its totals are known before the rest is fetched. */
import type { Listing } from '../core/ports.js';

export type { Listing };

export interface HttpClient {
  get<T = unknown>(path: string, searchParams?: Record<string, string | number>): Promise<T>;
  /** Every item of a HAL collection (see `open`). */
  list<T = Record<string, unknown>>(path: string, key: string, searchParams?: Record<string, string | number>): Promise<T[]>;
  /** Read the first page of a HAL collection; the caller decides whether the rest is worth reading. */
  open<T = Record<string, unknown>>(path: string, key: string, searchParams?: Record<string, string | number>): Promise<Listing<T>>;
  send<T = unknown>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  stats: { requests: number; retries: number; rateLimitWaitMs(): number };
}

interface CallContext {
  startedAt?: number;
  firstAttemptAt?: number;
  refreshed?: boolean;
  /** Why retrying stopped early (cap on waits or total retry time), added to the final error. */
  gaveUp?: string;
}

/** Errors worth another attempt on a read: the connection dropped (also mid-body), or timed out. */
const TRANSIENT_CODES = ['ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNREFUSED'];
/** Connection refused is retried briefly (a restarting gateway), never for long: it is usually a wrong URL. */
const REFUSED_ATTEMPTS = 2;

/**
 * The one HTTP edge: got configured once with the base URL, bearer auth (one refresh on 401),
 * retries with backoff + jitter (429 for every method; 5xx and network errors only for
 * idempotent methods — a POST that may have committed is never blindly repeated), rate-limit
 * pacing, a concurrency limit, redirects only within the same origin, waits capped and announced.
 */
export function createHttp(options: HttpOptions): HttpClient {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const notice = options.notice ?? (() => {});
  const signal = options.signal;
  // Bulk endpoints have their own, smaller limit and their own headers: pace each family apart.
  const pacerOptions = { maxWaitMs, signal, onWait: (until: number) => notice(`rate limit reached: waiting ${seconds(until - Date.now())} (until ${clock(until)}) before sending more`) };
  const pacers = { general: new Pacer(Date.now, pacerOptions), bulk: new Pacer(Date.now, pacerOptions) };
  const pacerFor = (url: unknown) => (String(url ?? '').split('?')[0].endsWith('/bulk') ? pacers.bulk : pacers.general);
  const semaphore = new Semaphore(Math.max(1, options.concurrency));
  const base = options.retryBaseMs ?? 500;
  const stats = { requests: 0, retries: 0, rateLimitWaitMs: () => pacers.general.waitedMs + pacers.bulk.waitedMs };
  const trace = options.trace;

  const client: Got = got.extend({
    prefixUrl: options.baseUrl,
    responseType: 'json',
    timeout: { request: 60_000 },
    followRedirect: sameOriginOnly,
    signal,
    retry: {
      limit: options.retryLimit ?? 5,
      methods: ['GET', 'PUT', 'DELETE', 'POST'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      maxRetryAfter: maxWaitMs,
      calculateDelay: retryDelay({ base, maxWaitMs, notice }),
    },
    hooks: {
      beforeRequest: [
        async (request) => {
          await pacerFor(request.url).acquire();
          stats.requests += 1;
          const token = await options.tokens.get();
          request.headers.authorization = `Bearer ${token}`;
          const context = request.context as CallContext;
          context.startedAt = Date.now();
          context.firstAttemptAt ??= context.startedAt;
        },
      ],
      afterResponse: [
        async (response, retryWithMergedOptions) => {
          pacerFor(response.url).release(response.headers);
          const context = response.request.options.context as CallContext;
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
    if (cause instanceof RequestError && !cause.response) pacerFor(cause.options?.url).release(undefined);
    const error = apiErrorOf(cause, method, path);
    const gaveUp = cause instanceof RequestError ? (cause.options?.context as CallContext | undefined)?.gaveUp : undefined;
    return gaveUp ? new ApiError(error.method, error.path, error.status, [...error.messages, gaveUp], error.code) : error;
  };

  const call = <T>(method: string, path: string, init: OptionsInit): Promise<T> =>
    semaphore.run(async () => {
      try {
        signal?.throwIfAborted();
        const response = await client(relative(path), { method, ...init } as OptionsInit & { isStream?: false });
        refuseRedirect(response, method, path);
        return response.body as T;
      } catch (cause) {
        throw toApiError(cause, method, path);
      }
    });

  /** A read must answer JSON: a gateway's empty or HTML 200 is an error naming the call, never "nothing". */
  const get = async <T>(path: string, searchParams?: Record<string, string | number>): Promise<T> => {
    const body = await call<unknown>('GET', path, { searchParams });
    if (body === '' || body === undefined || body === null || typeof body !== 'object') {
      throw new ApiError('GET', path, 200, [`the answer is not a JSON document (${body === '' || body == null ? 'empty body' : typeof body})`]);
    }
    return body as T;
  };

  const open = async <T>(path: string, key: string, searchParams: Record<string, string | number> = {}): Promise<Listing<T>> => {
    const at = { method: 'GET', path };
    const page = (n: number, size: number) => get<unknown>(path, { ...searchParams, page: n, size }).then((body) => readHalPage<T>(body, key, at));
    const first = await page(0, options.pageSize ?? LIST_PAGE_SIZE);
    checkPage(first, first, 0, at);
    return {
      totalElements: first.totalElements,
      totalPages: first.totalPages,
      pageSize: first.size,
      all: async () => {
        // The first page gave the count and the server's page size: the rest in parallel, each
        // bounded by the concurrency limit and the pacer like any request.
        const rest = await Promise.all(Array.from({ length: Math.max(0, first.totalPages - 1) }, async (_, i) => {
          const p = await page(i + 1, first.size);
          checkPage(p, first, i + 1, at);
          return p.items;
        }));
        const items = first.items.concat(...rest);
        if (items.length !== first.totalElements) {
          throw new ApiError('GET', path, 200, [`inconsistent pagination: ${items.length} items read in ${first.totalPages} pages, the API reported ${first.totalElements}; nothing was assumed — run again, or report the API's behaviour`]);
        }
        return items;
      },
    };
  };

  return {
    stats,
    get,
    open,
    list: async <T>(path: string, key: string, searchParams?: Record<string, string | number>) => (await open<T>(path, key, searchParams)).all(),
    send: (method, path, body, headers) => call(method, path, body === undefined ? { headers } : { json: body, headers }),
  };
}

/** got's retry decision and delay, shared by the API and the token calls. */
export function retryDelay(policy: { base: number; maxWaitMs: number; notice: (line: string) => void; postIsSafe?: boolean }): RetryOptions['calculateDelay'] {
  return ({ attemptCount, retryOptions, error, retryAfter }) => {
    if (attemptCount > retryOptions.limit) return 0;
    // The one re-send after a token refresh (afterResponse hook) comes through here too.
    if (error.code === 'ERR_RETRYING') return 1;
    // A failed token fetch (already retried on its own) fails the requests that needed it, at once.
    if ((error as { cause?: unknown }).cause instanceof ApiError) return 0;
    // A body cut off mid-way has a status (the headers arrived) but is a network failure.
    const status = error.name === 'ReadError' ? undefined : error.response?.statusCode;
    const method = error.options.method;
    const retryable = status === 429 || ((method !== 'POST' || policy.postIsSafe) && (status === undefined ? isTransient(error, attemptCount) : retryOptions.statusCodes.includes(status)));
    if (!retryable) return 0;
    const context = error.options.context as CallContext;
    // 0 means "do not retry" to got, so every delay is at least 1 ms.
    const jitter = 1 + Math.floor(Math.random() * policy.base);
    let delay = policy.base * 2 ** (attemptCount - 1) + jitter;
    let asked = false;
    if (status === 429) {
      const reset = Number(error.response?.headers['ratelimit-reset'] ?? error.response?.headers['x-ratelimit-reset']);
      if (retryAfter !== undefined) [delay, asked] = [retryAfter + jitter, true];
      else if (Number.isFinite(reset)) [delay, asked] = [Math.max(0, resetToEpochMs(reset, Date.now()) - Date.now()) + jitter, true];
      if (asked && delay - jitter > policy.maxWaitMs) {
        context.gaveUp = `the API asks to wait ${seconds(delay - jitter)}, more than the ${seconds(policy.maxWaitMs)} downline waits (DOWNLINE_MAX_WAIT_S)`;
        return 0;
      }
    }
    const spent = Date.now() - (context.firstAttemptAt ?? Date.now());
    if (spent + delay > policy.maxWaitMs) {
      context.gaveUp = `gave up after ${attemptCount} attempts in ${seconds(spent)} (retries are bounded by DOWNLINE_MAX_WAIT_S=${Math.round(policy.maxWaitMs / 1000)})`;
      return 0;
    }
    const until = Date.now() + delay;
    policy.notice(`${method} ${callPath(error.options)} → ${status ?? error.code}; ${asked ? 'the API asks to wait' : 'retrying in'} ${seconds(delay)}${asked || delay >= 5000 ? ` (until ${clock(until)})` : ''} — attempt ${attemptCount + 1} of ${retryOptions.limit + 1}`);
    return delay;
  };
}

/** Turn anything got throws into an ApiError naming the call, with the cause a person can act on. */
export function apiErrorOf(cause: unknown, method: string, path: string): ApiError {
  // A failed token request surfaces as itself, not wrapped in the request that needed the token.
  const inner = (cause as { cause?: unknown })?.cause;
  if (cause instanceof ApiError) return cause;
  if (inner instanceof ApiError) return inner;
  if (cause instanceof HTTPError) return new ApiError(method, path, cause.response.statusCode, messagesOf(cause.response.body));
  if ((cause as Error)?.name === 'AbortError') return new ApiError(method, path, 0, ['cancelled: the command stopped'], 'ERR_ABORTED');
  if (cause instanceof RequestError) {
    if (cause.code === 'ERR_BODY_PARSE_FAILURE') {
      const type = cause.response?.headers['content-type'];
      return new ApiError(method, path, cause.response?.statusCode ?? 0, [`the answer is not JSON${type ? ` (content-type ${type})` : ''}`]);
    }
    return new ApiError(method, path, 0, [networkMessage(cause)], cause.code);
  }
  return new ApiError(method, path, 0, [(cause as Error).message]);
}

/** A redirect that was not followed (to another origin) ends the call: it is an error, never an empty answer. */
export function refuseRedirect(response: { statusCode: number; headers: Record<string, unknown>; url: string }, method: string, path: string): void {
  if (response.statusCode < 300 || response.statusCode >= 400 || response.statusCode === 304) return;
  throw new ApiError(method, path, response.statusCode, [`refused to follow a redirect to another origin (${originOf(response.headers.location, response.url)}): credentials are only sent to the configured host`]);
}

/** Follow a redirect only within the origin asked: a token or a secret never travels to another host. */
export function sameOriginOnly(response: { headers: Record<string, unknown>; url: string }): boolean {
  const location = response.headers.location;
  if (typeof location !== 'string') return false;
  try {
    const from = new URL(response.url);
    return new URL(location, from).origin === from.origin;
  } catch {
    return false;
  }
}

function isTransient(error: RequestError, attemptCount: number): boolean {
  if (error.name === 'AbortError' || error.code === 'ERR_ABORTED') return false;
  if (error.code === 'ECONNREFUSED') return attemptCount <= REFUSED_ATTEMPTS;
  // A body cut off mid-way surfaces as a ReadError (whatever its code): read it again.
  return error.name === 'ReadError' || error.name === 'TimeoutError' || TRANSIENT_CODES.includes(error.code);
}

function networkMessage(cause: RequestError): string {
  const url = cause.options?.url ? new URL(String(cause.options.url)) : undefined;
  const host = url ? url.host : 'the API host';
  if (cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN') return `cannot resolve host ${url?.hostname ?? host} (DNS ${cause.code}): check the URL (AGENTSYNC_BASE_URL / AGENTSYNC_TOKEN_URL / TURRIS_BASE_URL) and the network`;
  if (cause.code === 'ECONNREFUSED') return `connection refused by ${host}: nothing listens there — check the URL and that the API is reachable`;
  if (cause.name === 'TimeoutError') return `no answer from ${host} within ${Math.round((cause.options?.timeout?.request ?? 0) / 1000)} s`;
  if (cause.name === 'ReadError') return `the connection to ${host} dropped while reading the answer (${cause.code})`;
  return `${cause.message.split(' in "')[0]} (${host})`;
}

function originOf(location: unknown, from: unknown): string {
  try {
    return new URL(String(location), String(from)).origin;
  } catch {
    return 'an unreadable location';
  }
}

/** got's prefixUrl needs paths without a leading slash. */
function relative(path: string): string {
  return path.replace(/^\//, '');
}

export const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 100) / 10)} s`;
export const clock = (epochMs: number) => `${new Date(epochMs).toISOString().slice(11, 19)} UTC`;

/** The path as the error messages name it: relative to the API base, without the query string. */
function callPath(options: { url?: unknown; prefixUrl?: unknown }): string {
  const path = redactUrl(String(options.url));
  const prefix = options.prefixUrl ? redactUrl(String(options.prefixUrl)).replace(/\/$/, '') : '';
  return prefix && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

/** Query strings may carry emails; traces show the path only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url.split('?')[0];
  }
}
