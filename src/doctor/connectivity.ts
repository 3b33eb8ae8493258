import type { ApiError } from '../api/errors.js';
import { SCOPE } from '../commands/connect.js';
import type { Connection, DoctorContext } from './context.js';
import { cannot, differs, holds, type Outcome } from './types.js';

type Layer = 'dns' | 'tls' | 'connect' | 'http';

/** Which layer a failed request stopped at, from got's error code (or the HTTP status). */
function layerOf(error: ApiError): Layer {
  if (error.status > 0) return 'http';
  const code = error.code ?? '';
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'].includes(code)) return 'dns';
  if (/CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) return 'tls';
  return 'connect';
}

const ORDER: Layer[] = ['dns', 'tls', 'connect', 'http'];

interface HostState {
  name: string;
  url: URL;
  /** undefined: not tried (an earlier step failed); 'ok': it answered with HTTP. */
  reached?: Layer | 'ok';
  error?: ApiError;
}

function hosts(ctx: DoctorContext, c: Connection): HostState[] {
  const token: HostState = { name: 'token endpoint', url: new URL(ctx.urls.token), reached: c.tokenError ? layerOf(c.tokenError) : 'ok', error: c.tokenError };
  const api: HostState = { name: 'API', url: new URL(ctx.urls.api) };
  if (!c.tokenError) Object.assign(api, { reached: c.apiError ? layerOf(c.apiError) : 'ok', error: c.apiError });
  return [token, api];
}

/** Got past `layer`: the failure, if any, happened at a later layer. */
const passed = (h: HostState, layer: Layer) => h.reached === 'ok' || (h.reached !== undefined && ORDER.indexOf(h.reached) > ORDER.indexOf(layer));
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export async function dnsCheck(ctx: DoctorContext): Promise<Outcome> {
  const all = hosts(ctx, await ctx.connection());
  const failed = all.find((h) => h.reached === 'dns');
  if (failed) return differs(`${failed.url.hostname} (${failed.name}) does not resolve: ${failed.error!.message}`);
  const tried = all.filter((h) => h.reached !== undefined);
  return holds([...new Set(tried.map((h) => `${h.url.hostname} resolves`))].join('; ') + untried(all));
}

export async function tlsCheck(ctx: DoctorContext): Promise<Outcome> {
  const all = hosts(ctx, await ctx.connection());
  const tls = ctx.contractingResponses().find((r) => r.tls)?.tls;
  const parts: string[] = [];
  for (const h of all.filter((x) => x.reached !== undefined && x.reached !== 'dns')) {
    if (h.url.protocol === 'http:') {
      if (!isLoopback(h.url)) return differs(`${h.name} is plain HTTP (${h.url.host}): credentials would travel unencrypted`);
      parts.push(`${h.url.host}: plain HTTP on loopback (the local emulator)`);
    } else if (h.reached === 'tls') {
      return differs(`TLS handshake with ${h.url.hostname} failed: ${h.error!.message}`);
    } else {
      parts.push(`${h.url.hostname}: TLS handshake succeeded${h.name === 'API' && tls ? ` (${tls})` : ''}`);
    }
  }
  return parts.length ? holds([...new Set(parts)].join('; ') + untried(all)) : cannot('no host was reached');
}

export async function hostCheck(ctx: DoctorContext): Promise<Outcome> {
  const c = await ctx.connection();
  const all = hosts(ctx, c);
  const bad = all.find((h) => h.reached === 'connect' || (h.name === 'API' && h.reached === 'http'));
  if (bad) return differs(`${bad.name} at ${bad.url.host}: ${bad.error!.message}`);
  const tokenHost = all[0];
  if (tokenHost.reached === 'http') return holds(`${tokenHost.url.host} answers (HTTP ${tokenHost.error!.status})${untried(all)}`);
  if (!passed(tokenHost, 'connect')) return cannot('the token endpoint was not reached');
  return holds(`${tokenHost.url.host} issues tokens; GET ${new URL(ctx.urls.api).pathname}/v1/customers/carriers → ${c.apiStatus}`);
}

export async function tokenCheck(ctx: DoctorContext): Promise<Outcome> {
  const c = await ctx.connection();
  if (c.tokenError) {
    return c.tokenError.status > 0 ? differs(`the token endpoint refused the client credentials: ${c.tokenError.message}`) : cannot(`the token endpoint was not reached: ${c.tokenError.message}`);
  }
  const ttl = c.grant!.expiresIn;
  return holds(`client credentials accepted; expires_in ${ttl} s${ttl < 600 ? ' (short: the client refreshes at half the lifetime)' : ''}`);
}

/** What each scope is needed for; doctor asks for all three. */
const NEEDED: Array<[string, string]> = [[SCOPE.read, 'plan, export, hierarchy'], [SCOPE.write, 'apply'], [SCOPE.delete, 'apply with prune']];

export async function scopesCheck(ctx: DoctorContext): Promise<Outcome> {
  const c = await ctx.connection();
  if (!c.grant) return cannot('no token');
  if (c.grant.scope === undefined) return cannot('the token response names no scopes; they are found out by use');
  const granted = new Set(c.grant.scope.split(/\s+/).filter(Boolean));
  const missing = NEEDED.filter(([s]) => !granted.has(s));
  const have = NEEDED.filter(([s]) => granted.has(s)).map(([s]) => s);
  if (missing.length === 0) return holds(`granted ${have.join(', ')}`);
  return differs(`granted ${have.join(', ') || 'none of the Contracting scopes'}; missing ${missing.map(([s, why]) => `${s} (needed by ${why})`).join(', ')}`);
}

function untried(all: HostState[]): string {
  const skipped = all.filter((h) => h.reached === undefined);
  return skipped.length ? `; not tried: ${skipped.map((h) => h.name).join(', ')}` : '';
}
