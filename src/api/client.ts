import got from 'got';
import type { RawObject } from '../core/live.js';
import type { ApiPort, ResolvedOperation } from '../core/ports.js';
import { ApiError, messagesOf } from './errors.js';
import { createHttp, type HttpClient, type HttpOptions } from './http.js';
import { producersyncBeside } from './producersync.js';
import { TokenCache } from './token.js';

export interface Endpoints {
  agentsync: { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string };
  turris?: { baseUrl: string; clientId: string; clientSecret: string };
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
}

export interface Api extends ApiPort {
  agentsync: HttpClient;
  turris(): HttpClient;
  producersync(): HttpClient;
  tokenFetches(): number;
  /** Fetch (or reuse) the AgentSync token and say what was granted — never the token itself. */
  tokenGrant(): Promise<{ expiresIn: number; scope?: string }>;
}

/** Token requests go through got too, but outside the API instance: no bearer, no pacing. */
async function fetchToken(url: string, init: { form?: Record<string, string>; json?: unknown }, pick: (body: Record<string, any>) => { token: string; expiresIn: number; scope?: string }) {
  try {
    const response = await got.post(url, { ...init, responseType: 'json', retry: { limit: 3, methods: ['POST'], statusCodes: [429, 500, 502, 503, 504] }, timeout: { request: 30_000 } });
    return pick(response.body as Record<string, any>);
  } catch (cause) {
    const response = (cause as { response?: { statusCode: number; body: unknown } }).response;
    // Only the endpoint and the server's own words: never the credentials we sent.
    throw new ApiError('POST', new URL(url).pathname, response?.statusCode ?? 0, response ? messagesOf(response.body) : [(cause as Error).message],
      (cause as { code?: string }).code);
  }
}

export function createApi(endpoints: Endpoints, options: ClientOptions): Api {
  const a = endpoints.agentsync;
  const agentsyncTokens = new TokenCache(() => fetchToken(a.tokenUrl,
    { form: { grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret, scope: options.scopes.join(' ') } },
    (b) => ({ token: String(b.access_token), expiresIn: Number(b.expires_in ?? 3600), ...(typeof b.scope === 'string' ? { scope: b.scope } : {}) })));
  const shared = { concurrency: options.concurrency, trace: options.trace, retryBaseMs: options.retryBaseMs, observe: options.observe };
  const agentsync = createHttp({ baseUrl: a.baseUrl, tokens: agentsyncTokens, ...shared });
  let producersync: HttpClient | undefined;
  let turris: HttpClient | undefined;
  const turrisHttp = (): HttpClient => {
    const t = endpoints.turris;
    if (!t) throw new ApiError('GET', 'turris', 0, ['Turris is not configured: set TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET']);
    turris ??= createHttp({
      baseUrl: t.baseUrl,
      tokens: new TokenCache(() => fetchToken(`${t.baseUrl.replace(/\/$/, '')}/v1/auth/jwt`, { json: { clientId: t.clientId, clientSecret: t.clientSecret } },
        (b) => ({ token: String(b.data?.accessToken), expiresIn: Number(b.data?.expiresIn ?? 3600) }))),
      ...shared,
    });
    return turris;
  };
  const http = (api: ResolvedOperation['api']) => (api === 'turris' ? turrisHttp() : agentsync);
  return {
    agentsync,
    turris: turrisHttp,
    producersync: () => (producersync ??= createHttp({ baseUrl: endpoints.producersync?.baseUrl ?? producersyncBeside(a.baseUrl), tokens: agentsyncTokens, ...shared })),
    tokenFetches: () => agentsyncTokens.fetches,
    tokenGrant: async () => {
      await agentsyncTokens.get();
      return agentsyncTokens.granted!;
    },
    get: (api, path, query) => http(api).get(path, query),
    list: (path, key, query) => agentsync.list<RawObject>(path, key, query),
    send: (op) => http(op.api).send(op.method, op.path, op.body, op.idempotencyKey ? { 'idempotency-key': op.idempotencyKey } : undefined),
  };
}
