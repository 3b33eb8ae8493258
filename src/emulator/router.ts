import type { EmRequest, EmResponse, Paging } from './http.js';
import type { LicenceTable } from './licences.js';
import type { Store } from './store.js';

/** What a route needs of the emulator: its records, paging knobs and clock. */
export interface RouteContext {
  store: Store;
  paging: Paging;
  now(): Date;
  /** yyyy-MM-dd of now(). */
  today(): string;
  /** ProducerSync licences by NPN; NPNs not listed are licensed everywhere. */
  licences: LicenceTable;
}

/** `read`: any valid token; `write` / `delete`: the token must carry that scope; `none`: no token. */
export type Access = 'none' | 'read' | 'write' | 'delete';

export interface Route {
  method: string;
  pattern: string;
  api: 'agentsync' | 'turris' | 'auth';
  access: Access;
  /** Counted against the bulk rate limit instead of the general one. */
  bulk?: boolean;
  handle(req: EmRequest, ctx: RouteContext): EmResponse;
}

export function route(method: string, pattern: string, access: Access, handle: Route['handle'], extra: Partial<Route> = {}): Route {
  return { method, pattern, access, handle, api: pattern.startsWith('/turris') ? 'turris' : 'agentsync', ...extra };
}

/** Literal segments win over parameters; routes are tried in order. */
export function match(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const parts = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const r of routes) {
    const segs = r.pattern.split('/').filter(Boolean);
    if (segs.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      if (segs[i].startsWith(':')) params[segs[i].slice(1)] = decodeURIComponent(parts[i]);
      else ok = segs[i] === parts[i];
    }
    if (!ok) continue;
    if (r.method === method) return { route: r, params };
    allowed.push(r.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}
