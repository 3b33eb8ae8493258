import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCOPES, Tokens } from './auth.js';
import { ApiFailure, errorBody, header, turrisError, type EmRequest, type EmResponse } from './http.js';
import { RateWindow, type Fault } from './limits.js';
import { match, type Route, type RouteContext } from './router.js';
import { tokenRoutes } from './routes/auth.js';
import { assignmentRoutes } from './routes/assignments.js';
import { carrierRoutes } from './routes/carriers.js';
import { hierarchyRoutes } from './routes/hierarchies.js';
import { levelRoutes } from './routes/levels.js';
import { lookupRoutes } from './routes/lookups.js';
import { productRoutes } from './routes/products.js';
import { producersyncRoutes } from './routes/producersync.js';
import { defaultTemplates, turrisRoutes } from './routes/turris.js';
import { Store } from './store.js';
import type { LicenceTable } from './licences.js';

export const DEFAULT_CREDENTIALS = {
  clientId: 'downline-local',
  clientSecret: 'local-secret',
  turrisClientId: 'downline-turris-local',
  turrisClientSecret: 'local-turris-secret',
} as const;

export interface EmulatorOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  clientId?: string;
  clientSecret?: string;
  turrisClientId?: string;
  turrisClientSecret?: string;
  /** Token lifetime in seconds (default 3600, as documented). */
  tokenTtl?: number;
  /** Added delay per request, in ms. */
  latency?: number;
  /** Requests per minute for API endpoints (0 = unlimited); bulk endpoints get bulkRateLimit. */
  rateLimit?: number;
  /** Requests per minute for bulk endpoints; default: one sixth of rateLimit (documented 50 vs 300). */
  bulkRateLimit?: number;
  /** Length of a rate-limit window in ms (default 60,000: "per minute"). */
  rateWindowMs?: number;
  /** Send ratelimit-* headers (default true). false: 429s carry only Retry-After. */
  rateLimitHeaders?: boolean;
  pageSize?: number;
  maxPageSize?: number;
  /** Probability (0..1) of a random 503 before a request is processed. */
  failRate?: number;
  /** Probability (0..1) that a write commits but answers 502 (an ambiguous failure). */
  failAfterCommitRate?: number;
  /** Listings leave out objects created less than this many ms ago (an eventually consistent API). */
  listLagMs?: number;
  /** Clock, for point-in-time hierarchy tests. */
  now?: () => Date;
  /** ProducerSync licence table (NPN → licences); NPNs not in it are licensed everywhere. */
  licences?: LicenceTable;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface Emulator {
  /** Root URL, e.g. http://127.0.0.1:4010 */
  url: string;
  /** AgentSync API base (…/contracting). */
  baseUrl: string;
  tokenUrl: string;
  turrisUrl: string;
  /** ProducerSync base (…/producersync). */
  producersyncUrl: string;
  credentials: { clientId: string; clientSecret: string; turrisClientId: string; turrisClientSecret: string };
  log: RequestLogEntry[];
  store: Store;
  /** The ProducerSync licence table, editable while running (tests). */
  licences: LicenceTable;
  faults: Fault[];
  tokens: Tokens;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** The per-window budget when no rate limit is set. */
const UNLIMITED = 1_000_000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? (() => new Date());
  const store = new Store(options.stateFile);
  store.listLagMs = options.listLagMs ?? 0;
  if (store.data.turris.templates.length === 0) store.data.turris.templates = defaultTemplates();
  const credentials = {
    clientId: options.clientId ?? DEFAULT_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_CREDENTIALS.clientSecret,
    turrisClientId: options.turrisClientId ?? DEFAULT_CREDENTIALS.turrisClientId,
    turrisClientSecret: options.turrisClientSecret ?? DEFAULT_CREDENTIALS.turrisClientSecret,
  };
  const tokens = new Tokens(options.tokenTtl ?? 3600, () => now().getTime());
  // No limit still sends the rate-limit headers (a window too large to reach), as the API always does.
  const limit = options.rateLimit || UNLIMITED;
  const general = new RateWindow(limit, () => Date.now(), options.rateWindowMs);
  const bulk = new RateWindow(options.bulkRateLimit ?? Math.max(1, Math.floor(limit / 6)), () => Date.now(), options.rateWindowMs);
  const ctx: RouteContext = {
    store,
    paging: { defaultSize: options.pageSize ?? 250, maxSize: options.maxPageSize ?? 1000 },
    now,
    today: () => now().toISOString().slice(0, 10),
    licences: options.licences ?? {},
  };
  const log: RequestLogEntry[] = [];
  const faults: Fault[] = [];

  const routes: Route[] = [
    ...tokenRoutes(credentials, tokens),
    ...carrierRoutes, ...productRoutes, ...levelRoutes, ...assignmentRoutes, ...lookupRoutes, ...hierarchyRoutes, ...turrisRoutes, ...producersyncRoutes,
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    if (options.latency) await new Promise((r) => setTimeout(r, options.latency));
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const emReq: EmRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body: undefined, params: {} };
    const { response, destroy, truncate } = dispatch(emReq, raw);
    log.push({ method, path: url.pathname, query: url.search, status: destroy ? 0 : response.status });
    if (destroy) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...response.headers };
    let payload = '';
    if (typeof response.body === 'string') {
      payload = response.body;
      headers['content-type'] = 'text/html';
    } else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      headers['content-type'] = /^\/(contracting|producersync)\//.test(url.pathname) && response.status < 400 ? 'application/hal+json' : 'application/json';
    }
    if (truncate) {
      // The full length is promised, half is sent, then the connection drops.
      headers['content-length'] = String(Buffer.byteLength(payload));
      res.writeHead(response.status, headers);
      res.write(payload.slice(0, Math.floor(payload.length / 2)));
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  };

  const dispatch = (req: EmRequest, raw: string): { response: EmResponse; destroy?: boolean; truncate?: boolean } => {
    const found = match(routes, req.method, req.path);
    const api = req.path.startsWith('/turris') ? 'turris' : 'agentsync';
    const failWith = (status: number, messages: string[], headers?: Record<string, string>): EmResponse => ({
      status, headers, body: api === 'turris' ? turrisError(status, messages) : errorBody(status, messages, req.path),
    });
    if (!found) return { response: failWith(404, [`No endpoint ${req.method} ${req.path}.`]) };
    if ('allowed' in found) return { response: failWith(405, [`Method ${req.method} not allowed.`], { allow: found.allowed.join(', ') }) };
    const r = found.route;
    req.params = found.params;

    const rateHeaders: Record<string, string> = {};
    if (r.api === 'agentsync') {
      const window = r.bulk ? bulk : general;
      const taken = window.take();
      if (options.rateLimitHeaders !== false) {
        Object.assign(rateHeaders, { 'ratelimit-limit': String(window.limit), 'ratelimit-remaining': String(taken.remaining), 'ratelimit-reset': String(taken.resetSeconds) });
      }
      if (!taken.allowed) {
        return { response: failWith(429, [`Rate limit exceeded. Please retry after ${taken.resetSeconds} seconds.`], { ...rateHeaders, 'retry-after': String(taken.resetSeconds) }) };
      }
    }
    const fault = faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(req.path));
    if (fault && !fault.afterCommit && !fault.rewrite && fault.mode !== 'truncate') {
      fault.times -= 1;
      return fault.mode === 'reset' ? { response: { status: 0 }, destroy: true } : { response: failWith(fault.status, ['Injected failure.'], rateHeaders) };
    }
    if (options.failRate && r.api !== 'auth' && Math.random() < options.failRate) {
      return { response: failWith(503, ['Service temporarily unavailable.'], rateHeaders) };
    }
    if (r.access !== 'none') {
      const grant = tokens.check(r.api === 'turris' ? 'turris' : 'agentsync', header(req, 'authorization'));
      if (typeof grant === 'string') {
        const message = grant === 'missing' ? 'Authentication token not provided' : grant === 'expired' ? 'Access token expired' : 'Invalid access token';
        return { response: failWith(401, [message], rateHeaders) };
      }
      if (r.api === 'agentsync' && r.access !== 'read' && !grant.scopes.has(SCOPES[r.access])) {
        return { response: { status: 403, headers: rateHeaders, body: { error: 'access_denied', error_description: 'Policy evaluation failed', messages: [`Missing scope ${SCOPES[r.access]}`] } } };
      }
    }
    if (WRITE_METHODS.has(req.method) && r.api !== 'auth') {
      // Documented quirk: a write without a JSON content type fails with 500, not 415.
      if (r.method !== 'DELETE' && !String(header(req, 'content-type') ?? '').includes('application/json')) {
        return { response: failWith(500, ['Content type not supported.'], rateHeaders) };
      }
    }
    if (raw.length > 0 && r.api !== 'auth') {
      try {
        req.body = JSON.parse(raw);
      } catch {
        return { response: failWith(400, ['Malformed JSON request body.'], rateHeaders) };
      }
    } else if (r.api === 'auth') {
      req.body = raw;
    }
    let response: EmResponse;
    try {
      response = r.handle(req, ctx);
    } catch (cause) {
      if (!(cause instanceof ApiFailure)) throw cause;
      return { response: failWith(cause.status, cause.messages, rateHeaders) };
    }
    if (WRITE_METHODS.has(req.method) && response.status < 300 && r.api !== 'auth') store.save();
    if (response.status < 300 && WRITE_METHODS.has(req.method) && r.api !== 'auth' && options.failAfterCommitRate && Math.random() < options.failAfterCommitRate) {
      return { response: failWith(502, ['Bad gateway (the write was committed).'], rateHeaders) };
    }
    if (fault && (fault.rewrite || fault.mode === 'truncate')) {
      fault.times -= 1;
      const body = fault.rewrite ? fault.rewrite(response.body, { query: req.query }) : response.body;
      return { response: { ...response, body, headers: { ...rateHeaders, ...response.headers } }, truncate: fault.mode === 'truncate' };
    }
    if (fault && fault.afterCommit) {
      fault.times -= 1;
      return fault.mode === 'reset' ? { response, destroy: true } : { response: failWith(fault.status, ['Injected failure after commit.'], rateHeaders) };
    }
    return { response: { ...response, headers: { ...rateHeaders, ...response.headers } } };
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((cause: Error) => {
      log.push({ method: req.method ?? '', path: req.url ?? '', query: '', status: 500 });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(errorBody(500, [cause.message], req.url ?? '')));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const root = `http://${address.address}:${address.port}`;
  return {
    url: root,
    baseUrl: `${root}/contracting`,
    tokenUrl: `${root}/oauth2/token`,
    turrisUrl: `${root}/turris`,
    producersyncUrl: `${root}/producersync`,
    credentials,
    log,
    store,
    licences: ctx.licences,
    faults,
    tokens,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
