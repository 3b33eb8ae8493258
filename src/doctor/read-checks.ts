import { fetchLookups, LOOKUP_TABLES, lookupPath } from '../api/discover.js';
import { DEFAULT_TERMINATION_STATUS, TERMINAL_STATUSES } from '../core/statuses.js';
import { LIST_PAGE_SIZE } from '../api/http.js';
import { USER_DEFINED } from '../core/desired.js';
import { wireOf } from '../core/fields.js';
import { fingerprint } from '../core/fingerprint.js';
import type { RawObject } from '../core/live.js';
import type { KindName } from '../core/types.js';
import { COMMISSION_TYPE_WIRE } from '../kinds/commission-level.js';
import { KINDS, kindOf } from '../kinds/index.js';
import type { DoctorContext, HalPage, Sample } from './context.js';
import { cannot, differs, holds, type Outcome } from './types.js';

/** The lists downline reads (each kind's listing, under a sampled parent), by collection key; then the lookup lists. */
async function lists(ctx: DoctorContext): Promise<Array<{ key: string; path: string }>> {
  const s: Record<string, readonly RawObject[] | undefined> = await ctx.sample();
  const kinds = KINDS.flatMap(({ listing }) => {
    if (!listing) return [];
    if (!listing.parent) return [{ key: listing.key, path: listing.path() }];
    const parent = s[listing.parent]?.[0];
    return parent ? [{ key: listing.key, path: listing.path(parent.id) }] : [];
  });
  return [...kinds, ...LOOKUP_TABLES.map((t) => ({ key: t, path: lookupPath(t) }))];
}

const firstPage = (ctx: DoctorContext, path: string) => ctx.page(path, { page: 0, size: 1 });

export async function collectionKeys(ctx: DoctorContext): Promise<Outcome> {
  const wrong: string[] = [];
  const right: string[] = [];
  const empty: string[] = [];
  for (const { key, path } of await lists(ctx)) {
    const body = await firstPage(ctx, path);
    if (!body._embedded) empty.push(key);
    else if (Object.keys(body._embedded).join() !== key) wrong.push(`${path} carries _embedded.${Object.keys(body._embedded).join(', _embedded.')} (expected _embedded.${key})`);
    else right.push(key);
  }
  if (wrong.length) return differs(wrong.join('; '));
  if (right.length === 0) return cannot('every list is empty');
  return holds(`_embedded.${right.join(', _embedded.')}${empty.length ? `; empty, so not seen: ${empty.join(', ')}` : ''}`);
}

export async function halShape(ctx: DoctorContext): Promise<Outcome> {
  const problems: string[] = [];
  for (const { path } of await lists(ctx)) {
    const body = await firstPage(ctx, path);
    const p = body.page;
    const numeric = p && ['size', 'totalElements', 'totalPages', 'number'].every((f) => typeof (p as Record<string, unknown>)[f] === 'number');
    if (!numeric) problems.push(`${path}: no page {size, totalElements, totalPages, number}`);
    if (typeof body._links?.self?.href !== 'string') problems.push(`${path}: no _links.self.href`);
  }
  // A page past the end is empty: the documented envelope then has no _embedded at all.
  const past = await ctx.page(lookupPath('assignmentStatuses'), { page: 9999, size: 1 });
  if (past._embedded !== undefined) problems.push(`an empty page carries _embedded (${JSON.stringify(past._embedded).slice(0, 60)}) instead of leaving it out`);
  const types = new Set(ctx.contractingResponses().filter((r) => r.status < 300).map((r) => String(r.headers['content-type'] ?? '').split(';')[0]));
  if (problems.length) return differs(problems.join('; '));
  return holds(`page, _links.self on every list; _embedded absent on an empty page; content type ${[...types].join(', ')}`);
}

export async function listEndpoints(ctx: DoctorContext): Promise<Outcome> {
  const s = await ctx.sample();
  if (!s.carrier[0]) return cannot('no carrier in this account to list products of (the write probe checks this on objects of its own)');
  if (!s.product[0]) return cannot('no product in this account to list commission levels of (the write probe checks this on objects of its own)');
  const path = (kind: KindName, parent: string) => kindOf(kind).listing!.path(parent);
  return holds(`GET ${path('product', '{id}')} listed ${s.product.length} product(s); GET ${path('commissionLevel', '{productId}')} listed ${s.commissionLevel.length} level(s)`);
}

export async function paging(ctx: DoctorContext): Promise<Outcome> {
  const path = lookupPath('assignmentStatuses');
  const key = 'assignmentStatuses';
  const [p0, p1] = await Promise.all([ctx.page(path, { page: 0, size: 1 }), ctx.page(path, { page: 1, size: 1 })]);
  const total = Number(p0.page?.totalElements);
  if (!(total >= 2)) return cannot(`${path} has fewer than 2 items`);
  const id = (p: HalPage) => ((p._embedded?.[key] as RawObject[] | undefined) ?? [])[0]?.id;
  const problems: string[] = [];
  if (p0.page?.number !== 0 || p1.page?.number !== 1) problems.push(`page=0 and page=1 answered page.number ${String(p0.page?.number)} and ${String(p1.page?.number)}`);
  if (p0.page?.size !== 1) problems.push(`size=1 answered page.size ${String(p0.page?.size)}`);
  if (!id(p0) || id(p0) === id(p1)) problems.push('page=1 returned the same first item as page=0 (page ignored)');
  if (p0.page?.totalPages !== total) problems.push(`size=1 over ${total} items answered totalPages ${String(p0.page?.totalPages)}`);
  return problems.length ? differs(problems.join('; ')) : holds(`page is 0-based and size is honoured (${path}: ${total} items, ${total} pages of 1)`);
}

export async function pageSize(ctx: DoctorContext): Promise<Outcome> {
  const path = lookupPath('assignmentStatuses');
  const [asked, unset, beyond] = await Promise.all([ctx.page(path, { page: 0, size: LIST_PAGE_SIZE }), ctx.page(path, { page: 0 }), ctx.page(path, { page: 0, size: LIST_PAGE_SIZE * 2 })]);
  const size = Number(asked.page?.size);
  const extra = `default page size ${String(unset.page?.size)}; size=${LIST_PAGE_SIZE * 2} answered page.size ${String(beyond.page?.size)}`;
  if (size !== LIST_PAGE_SIZE) return differs(`asked size=${LIST_PAGE_SIZE}, the server answered page.size=${String(asked.page?.size)} (pages are capped at ${String(asked.page?.size)}); ${extra}`);
  return holds(`size=${LIST_PAGE_SIZE} honoured; ${extra}`);
}

export async function unfilteredAssignments(ctx: DoctorContext): Promise<Outcome> {
  const path = kindOf('assignment').listing!.path();
  const body = await firstPage(ctx, path);
  const total = body.page?.totalElements;
  if (typeof total !== 'number') return differs(`GET ${path} without npn answered without page.totalElements`);
  return holds(`GET ${path} without npn lists every assignment (${total}, paginated)`);
}

/** Fields downline reads off list items: products' parent and assignments' references (SPEC §8). */
const CARRIED: Array<{ kind: 'product' | 'assignment'; fields: string[] }> = [
  { kind: 'product', fields: ['carrierId'] },
  { kind: 'assignment', fields: ['npn', 'productId', 'commissionLevelId', 'assignmentStatusId', 'administrativeDivisions'] },
];

export async function carriedFields(ctx: DoctorContext): Promise<Outcome> {
  const s = await ctx.sample();
  const problems: string[] = [];
  const seen: string[] = [];
  for (const { kind, fields } of CARRIED) {
    const items = s[kind];
    if (items.length === 0) continue;
    const missing = fields.filter((f) => items.some((i) => !(f in i)));
    if (missing.length) problems.push(`${kind}s lack ${missing.join(', ')}`);
    else seen.push(`${items.length} ${kind}s carry ${fields.join(', ')}`);
  }
  if (problems.length) return differs(problems.join('; '));
  return seen.length ? holds(seen.join('; ')) : cannot('no products or assignments in this account (the write probe checks this on objects of its own)');
}

/** Each sampled kind, and where one of its objects is read (its listing's `item`). */
const KIND_SAMPLES: Array<{ label: string; from: keyof Sample; self: string }> = (['carrier', 'product', 'commissionLevel', 'assignment'] as const)
  .map((kind) => ({ label: kindOf(kind).noun, from: kind, self: kindOf(kind).listing!.item }));

/** What a single GET carries that the list item (as discovery normalises it) does not, and back. */
function difference(listed: RawObject, single: Record<string, unknown>): string[] {
  const out: string[] = [];
  const strip = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== '_links');
  const lacks = strip(listed).filter((k) => !(k in single));
  const extra = strip(single).filter((k) => !(k in listed));
  const changed = strip(listed).filter((k) => k in single && fingerprint(listed[k]) !== fingerprint(single[k]));
  if (lacks.length) out.push(`the single GET lacks ${lacks.join(', ')}`);
  if (extra.length) out.push(`the single GET adds ${extra.join(', ')}`);
  if (changed.length) out.push(`values differ in ${changed.join(', ')}`);
  return out;
}

/** A list item (as discovery tags it) and a single GET of the same object carry the same fields. */
export async function listVersusSingle(ctx: DoctorContext): Promise<Outcome> {
  const s = await ctx.sample();
  const problems: string[] = [];
  const same: string[] = [];
  for (const k of KIND_SAMPLES) {
    const listed = s[k.from][0];
    if (!listed) continue;
    const single = (await ctx.api.get('agentsync', `${k.self}/${encodeURIComponent(String(listed.id))}`)) as Record<string, unknown>;
    const differences = difference(listed, single);
    if (differences.length === 0) same.push(k.label);
    else problems.push(`${k.label}: ${differences.join('; ')}`);
  }
  if (problems.length) return differs(problems.join('; '));
  return same.length ? holds(`list item and single GET agree for ${same.join(', ')}`) : cannot('no objects in this account to compare (the write probe checks this on objects of its own)');
}

/**
 * Declared fields and whether the documented responses carry them, from each kind's field spec
 * (`readBack`). Of the ten free-form fields only the first is sampled: they behave alike.
 */
export const READ_BACK: Array<{ from: 'carrier' | 'product' | 'commissionLevel'; label: string; readBack: string[]; writeOnly: string[] }> = ([
  'carrier', 'product', 'commissionLevel',
] as const).map((kind) => {
  const from = kind;
  const fields = (kindOf(kind).fields ?? []).filter((f) => f.name === 'userDefined1' || !USER_DEFINED.includes(f.name));
  return { from, label: kindOf(kind).noun, readBack: fields.filter((f) => f.readBack).map(wireOf), writeOnly: fields.filter((f) => !f.readBack).map(wireOf) };
});

/** Read-only: which declared fields live objects carry. A documented field never seen differs. */
export async function readBack(ctx: DoctorContext): Promise<Outcome> {
  const s = await ctx.sample();
  const problems: string[] = [];
  const seen: string[] = [];
  for (const r of READ_BACK) {
    const items = s[r.from];
    if (items.length === 0) continue;
    const on = (f: string) => items.some((i) => i[f] !== undefined);
    const missing = r.readBack.filter((f) => !on(f));
    const alsoRead = r.writeOnly.filter(on);
    // Optional fields may simply be unset on the sampled objects: only a required one proves a gap.
    const required = missing.filter((f) => ['lineOfBusinessId', 'type'].includes(f));
    if (required.length) problems.push(`${r.label}: ${required.join(', ')} not read back`);
    seen.push(`${r.label} reads back ${r.readBack.filter(on).join(', ') || 'none of the optional fields (unset?)'}${alsoRead.length ? ` and also ${alsoRead.join(', ')}` : ''}`);
  }
  if (problems.length) return differs(problems.join('; '));
  return seen.length ? holds(seen.join('; ')) : cannot('no objects in this account (the write probe checks this on objects of its own)');
}

export async function levelTypeCasing(ctx: DoctorContext): Promise<Outcome> {
  const { commissionLevel: levels } = await ctx.sample();
  if (levels.length === 0) return cannot('no commission levels in this account (the write probe checks this on objects of its own)');
  const wire = new Set(Object.values(COMMISSION_TYPE_WIRE));
  const counts = new Map<string, number>();
  for (const l of levels) counts.set(String(l.type), (counts.get(String(l.type)) ?? 0) + 1);
  const seen = [...counts].map(([t, n]) => `${t} (${n})`).join(', ');
  const foreign = [...counts.keys()].filter((t) => !wire.has(t));
  return foreign.length ? differs(`existing levels carry type ${seen}; downline sends ${[...wire].join(' / ')}`) : holds(`existing levels carry type ${seen}`);
}

export async function lookupsPresent(ctx: DoctorContext): Promise<Outcome> {
  const tables = await fetchLookups(ctx.api);
  const entries = Object.entries(tables) as Array<[string, Array<{ id?: unknown; name?: unknown }>]>;
  const empty = entries.filter(([, items]) => items.length === 0).map(([k]) => k);
  const shapeless = entries.filter(([, items]) => items.some((i) => typeof i.id !== 'string' || typeof i.name !== 'string')).map(([k]) => k);
  if (empty.length || shapeless.length) return differs([empty.length ? `empty: ${empty.join(', ')}` : '', shapeless.length ? `items without id and name: ${shapeless.join(', ')}` : ''].filter(Boolean).join('; '));
  return holds(entries.map(([k, items]) => `${k} ${items.length}`).join(', '));
}

/** SPEC §11: the terminal names downline enforces are statuses this account knows (TERMINATED above all: prune and until set it). */
export async function terminalStatuses(ctx: DoctorContext): Promise<Outcome> {
  const names = (await fetchLookups(ctx.api)).assignmentStatuses.map((s) => s.name);
  const known = names.filter((n) => TERMINAL_STATUSES.has(n));
  if (!names.includes(DEFAULT_TERMINATION_STATUS)) {
    return differs(`the assignment statuses hold no ${DEFAULT_TERMINATION_STATUS}${known.length ? ` (terminal ones present: ${known.join(', ')})` : ' nor any other terminal name downline knows'}; set prune.terminationStatus, and adjust TERMINAL_STATUSES`);
  }
  return holds(`${known.length} of the ${TERMINAL_STATUSES.size} terminal names are assignment statuses here: ${known.join(', ')}`);
}

export async function rateLimitHeaders(ctx: DoctorContext): Promise<Outcome> {
  const responses = ctx.contractingResponses();
  if (responses.length === 0) return cannot('no Contracting response seen');
  const names = new Map<string, number>();
  for (const r of responses) for (const h of Object.keys(r.headers).filter((n) => /ratelimit|retry-after/i.test(n))) names.set(h, (names.get(h) ?? 0) + 1);
  const has = (n: string) => names.has(n) || names.has(`x-${n}`);
  const list = [...names].map(([n, c]) => `${n} (${c}/${responses.length})`).join(', ');
  if (has('ratelimit-remaining') && has('ratelimit-reset')) return holds(list);
  return differs(`${names.size ? `only ${list}` : 'no rate-limit headers'} on ${responses.length} responses: the client cannot pace itself and rides 429s with Retry-After`);
}
