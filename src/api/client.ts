import got from 'got';
import type { RawObject } from '../core/live.js';
import type { DiscoveryPort, ResolvedOperation } from '../core/ports.js';
import { ApiError } from './errors.js';
import { apiErrorOf, createHttp, refuseRedirect, DEFAULT_MAX_WAIT_MS, retryDelay, sameOriginOnly, type HttpClient, type HttpOptions } from './http.js';
import { sleep } from './pacer.js';
import { producersyncBeside } from './producersync.js';
import { TokenCache } from './token.js';

export interface Endpoints {
  /** `credentials`: where the user set the client credentials, named when the token endpoint refuses them. */
  agentsync: { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string; credentials?: string };
  turris?: { baseUrl: string; clientId: string; clientSecret: string; credentials?: string };
  /** ProducerSync base (…/producersync); it shares the AgentSync token. */
  producersync?: { baseUrl: string };
}

export interface ClientOptions {
  concurrency: number;
  /** OAuth scopes to ask for: plan reads only; apply adds write (and delete when pruning). */
  scopes: string[];
  trace?: (line: string) => void;
  retryBaseMs?: number;
  observe?: HttpOptions['observe'];
  /** One line per retry or wait, as it happens (the commands send it to stderr). */
  notice?: (line: string) => void;
  /** Cap on one wait and on the retries of one request (DOWNLINE_MAX_WAIT_S). */
  maxWaitMs?: number;
  /** Aborted when the command ends or fails: everything in flight is cancelled. */
  signal?: AbortSignal;
  /** How long listings may lag writes: after an ambiguous write, "not found" is believed only after it (default 10 s). */
  consistencyWindowMs?: number;
}

/** Default consistency window, and how often a lookup is repeated inside it. */
export const DEFAULT_CONSISTENCY_WINDOW_MS = 10_000;
const SETTLE_POLL_MS = 1_000;

export interface Api extends DiscoveryPort {
  agentsync: HttpClient;
  turris(): HttpClient;
  producersync(): HttpClient;
  tokenFetches(): number;
  /** Fetch (or reuse) the AgentSync token and say what was granted — never the token itself. */
  tokenGrant(): Promise<{ expiresIn: number; scope?: string }>;
}

type TokenFetch = (url: string, init: { form?: Record<string, string>; json?: unknown }, pick: (body: Record<string, any>) => Grant, credentials?: string) => Promise<Grant>;
type Grant = { token: string; expiresIn: number; scope?: string };

/**
 * Token requests go through got too, but outside the API instance: no bearer, no pacing. They
 * retry like reads (a token request changes nothing), within the same caps, never redirect to
 * another origin (the body carries the secret), and stop when the command does.
 */
function tokenFetcher(options: ClientOptions): TokenFetch {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  // A token POST creates nothing: unlike an API POST, its network failures and 5xx are safe to retry.
  const calculateDelay = retryDelay({ base: options.retryBaseMs ?? 500, maxWaitMs, notice: options.notice ?? (() => {}), postIsSafe: true });
  return async (url, init, pick, credentials) => {
    const path = new URL(url).pathname;
    try {
      const response = await got.post(url, {
        ...init, responseType: 'json', followRedirect: sameOriginOnly, signal: options.signal, timeout: { request: 30_000 },
        retry: { limit: 3, methods: ['POST'], statusCodes: [408, 429, 500, 502, 503, 504], maxRetryAfter: maxWaitMs, calculateDelay },
        hooks: { beforeRequest: [(request) => void ((request.context as { firstAttemptAt?: number }).firstAttemptAt ??= Date.now())] },
      });
      refuseRedirect(response, 'POST', path);
      const body = response.body as unknown;
      if (!body || typeof body !== 'object') throw new ApiError('POST', path, response.statusCode, ['the token answer is not a JSON object']);
      const picked = pick(body as Record<string, any>);
      if (!picked.token || picked.token === 'undefined') throw new ApiError('POST', path, response.statusCode, ['the token answer carries no access token']);
      return picked;
    } catch (cause) {
      // Only the endpoint and the server's own words: never the credentials we sent.
      const error = apiErrorOf(cause, 'POST', path);
      // 401, or OAuth's 400 invalid_client: the credentials are wrong, not the request.
      if (credentials && (error.status === 401 || error.messages.includes('invalid_client'))) error.hint = `the client credentials were refused: check ${credentials}`;
      throw error;
    }
  };
}

export function createApi(endpoints: Endpoints, options: ClientOptions): Api {
  const a = endpoints.agentsync;
  const fetchToken = tokenFetcher(options);
  const common = { concurrency: options.concurrency, trace: options.trace, retryBaseMs: options.retryBaseMs, notice: options.notice, maxWaitMs: options.maxWaitMs, signal: options.signal, observe: options.observe };
  const agentsyncTokens = new TokenCache(() => fetchToken(a.tokenUrl,
    { form: { grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret, scope: options.scopes.join(' ') } },
    (b) => ({ token: String(b.access_token), expiresIn: Number(b.expires_in ?? 3600), ...(typeof b.scope === 'string' ? { scope: b.scope } : {}) }), a.credentials));
  const agentsync = createHttp({ baseUrl: a.baseUrl, tokens: agentsyncTokens, ...common });
  let producersync: HttpClient | undefined;
  let turris: HttpClient | undefined;
  const turrisHttp = (): HttpClient => {
    const t = endpoints.turris;
    if (!t) throw new ApiError('GET', 'turris', 0, ['Turris is not configured: set TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET']);
    turris ??= createHttp({
      baseUrl: t.baseUrl,
      tokens: new TokenCache(() => fetchToken(`${t.baseUrl.replace(/\/$/, '')}/v1/auth/jwt`, { json: { clientId: t.clientId, clientSecret: t.clientSecret } },
        (b) => ({ token: String(b.data?.accessToken), expiresIn: Number(b.data?.expiresIn ?? 3600) }), t.credentials)),
      ...common,
    });
    return turris;
  };
  const http = (api: ResolvedOperation['api']) => (api === 'turris' ? turrisHttp() : agentsync);
  return {
    agentsync,
    turris: turrisHttp,
    producersync: () => (producersync ??= createHttp({ baseUrl: endpoints.producersync?.baseUrl ?? producersyncBeside(a.baseUrl), tokens: agentsyncTokens, ...common })),
    hasTurris: () => endpoints.turris !== undefined,
    tokenFetches: () => agentsyncTokens.fetches,
    tokenGrant: async () => {
      await agentsyncTokens.get();
      return agentsyncTokens.granted!;
    },
    get: (api, path, query) => http(api).get(path, query),
    list: (path, key, query) => agentsync.list<RawObject>(path, key, query),
    open: (path, key) => agentsync.open<RawObject>(path, key),
    send: (op) => http(op.api).send(op.method, op.path, op.body, op.idempotencyKey ? { 'idempotency-key': op.idempotencyKey } : undefined),
    settle: async (attempt) => {
      const window = options.consistencyWindowMs ?? DEFAULT_CONSISTENCY_WINDOW_MS;
      const poll = Math.min(SETTLE_POLL_MS, window);
      if (poll <= 0 || attempt * poll >= window) return false;
      if (attempt === 0) options.notice?.(`not found after an ambiguous write; listings may lag writes, looking again for up to ${Math.round(window / 100) / 10} s before concluding it is absent (DOWNLINE_CONSISTENCY_WINDOW_S)`);
      await sleep(poll, options.signal);
      return true;
    },
  };
}
