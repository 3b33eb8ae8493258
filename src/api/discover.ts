import { mapLimit } from '../core/concurrency.js';
import { keys, type DesiredState } from '../core/desired.js';
import type { LiveSnapshot, LookupItem, LookupTables, RawObject, TurrisSnapshot } from '../core/live.js';
import type { Api } from './client.js';
import { ApiError } from './errors.js';
import { LIST_PAGE_SIZE } from './http.js';

/**
 * ASSUMPTION (SPEC §8): collection keys of the HAL lists. One place decides them.
 */
export const COLLECTION_KEYS = {
  carriers: 'carriers', products: 'products', commissionLevels: 'commissionLevels', contractAssignments: 'contractAssignments',
  linesOfBusiness: 'linesOfBusiness', contractSubmissionMethods: 'contractSubmissionMethods', annualizations: 'annualizations', assignmentStatuses: 'assignmentStatuses',
} as const;

/** With more producers than this, probe the unfiltered assignment listing (fewer requests). */
export const UNFILTERED_THRESHOLD = 50;

export async function fetchLookups(api: Api): Promise<LookupTables> {
  const tables = ['linesOfBusiness', 'contractSubmissionMethods', 'annualizations', 'assignmentStatuses'] as const;
  const lists = await Promise.all(tables.map((t) => api.list(`/v1/${t}`, COLLECTION_KEYS[t])));
  return Object.fromEntries(tables.map((t, i) => [t, lists[i] as unknown as LookupItem[]])) as unknown as LookupTables;
}

/**
 * Carriers, then the products of the carriers wanted, then the levels of the products wanted —
 * each level of the tree listed concurrently. Without filters: the whole account (export).
 */
export async function fetchCatalog(api: Api, concurrency: number, want: { carrier?: (name: string) => boolean; product?: (carrier: string, product: string) => boolean } = {}) {
  const carriers = await api.list('/v1/customers/carriers', COLLECTION_KEYS.carriers);
  const ours = want.carrier ? carriers.filter((c) => want.carrier!(String(c.name))) : carriers;
  const products = (await mapLimit(ours, concurrency, (c) => api.list(`/v1/customers/carriers/${c.id}/products`, COLLECTION_KEYS.products))).flat();
  const nameOf = new Map(ours.map((c) => [c.id, String(c.name)]));
  const wanted = want.product ? products.filter((p) => want.product!(nameOf.get(String(p.carrierId)) ?? '', String(p.name))) : products;
  const levels = await mapLimit(wanted, concurrency, async (p) =>
    (await api.list(`/v1/customers/${p.id}/commissionLevels`, COLLECTION_KEYS.commissionLevels)).map((l) => ({ ...l, productId: p.id })));
  return { carriers, products, levels: levels.flat() };
}

/** Only what the config references: declared carriers' products, declared products' levels, declared npns' contracts. */
export async function discover(api: Api, desired: DesiredState, concurrency: number): Promise<LiveSnapshot> {
  const declaredCarriers = new Set(desired.carriers.map((c) => c.name));
  const declaredProducts = new Set(desired.products.map((p) => keys.product(p.carrier, p.name)));
  const catalog = fetchCatalog(api, concurrency, {
    carrier: (name) => declaredCarriers.has(name),
    // Pruning a product takes its levels with it, so then every product of a declared carrier is read.
    product: (carrier, product) => desired.prune.products || declaredProducts.has(keys.product(carrier, product)),
  });
  const [lookups, tree, assignments, turris] = await Promise.all([fetchLookups(api), catalog, fetchAssignments(api, desired, concurrency), fetchTurris(api, desired)]);
  return { lookups, ...tree, assignments, ...(turris ? { turris } : {}) };
}

async function fetchAssignments(api: Api, desired: DesiredState, concurrency: number): Promise<RawObject[]> {
  // Uplines too: an upline declared nowhere may hold its position live (SPEC §10, uplineExists).
  const uplines = [...desired.assignments.map((a) => a.fields.upline), ...desired.invites.flatMap((i) => i.contracts.map((c) => c.uplineNpn))].filter((u): u is string => typeof u === 'string');
  const npns = [...new Set([...desired.assignments.map((a) => a.npn), ...desired.invites.map((i) => i.producer.npn), ...uplines])];
  // Pruning must see producers that left the config, so it reads every assignment.
  const pruning = desired.prune.assignments || desired.prune.products;
  if (npns.length === 0 && !pruning) return [];
  if (pruning || npns.length > UNFILTERED_THRESHOLD) {
    const all = await listAllAssignments(api, pruning ? Infinity : npns.length);
    if (all) {
      const wanted = new Set(npns);
      return pruning ? all : all.filter((a) => wanted.has(String(a.npn)));
    }
  }
  return (await mapLimit(npns, concurrency, (npn) => api.list('/v1/customers/contractAssignments', COLLECTION_KEYS.contractAssignments, { npn }))).flat();
}

/**
 * ASSUMPTION (SPEC §8): GET /v1/customers/contractAssignments without `npn` lists every assignment.
 * Used when it is cheaper than one lookup per producer; rejected or too large → undefined.
 */
export async function listAllAssignments(api: Api, perNpnRequests = Infinity): Promise<RawObject[] | undefined> {
  try {
    // A one-item page is enough to learn the total; the listing then reads full pages.
    const probe = (await api.agentsync.get('/v1/customers/contractAssignments', { page: 0, size: 1 })) as { page?: { totalElements?: number } };
    if (Math.ceil((probe.page?.totalElements ?? Infinity) / LIST_PAGE_SIZE) >= perNpnRequests) return undefined;
    return await api.list('/v1/customers/contractAssignments', COLLECTION_KEYS.contractAssignments);
  } catch (cause) {
    if (cause instanceof ApiError && [400, 403, 404, 405].includes(cause.status)) return undefined;
    throw cause;
  }
}

async function fetchTurris(api: Api, desired: DesiredState): Promise<TurrisSnapshot | undefined> {
  if (desired.turrisInvites.length === 0) return undefined;
  const turris = api.turris();
  const data = <T>(body: unknown) => ((body as { data?: T[] }).data ?? []) as T[];
  const templates = data<{ _id: string; name: string; status?: string }>(await turris.get('/v1/contract-container-templates'));
  const associationsByKey: Record<string, RawObject[]> = {};
  const byCode = desired.turrisInvites.filter((t) => t.producerCode);
  if (byCode.length > 0) {
    const all = data<RawObject>(await turris.get('/v1/downstream-entity-associations'));
    for (const t of byCode) associationsByKey[t.key] = all.filter((a) => a.producerCode === t.producerCode);
  }
  for (const t of desired.turrisInvites.filter((x) => !x.producerCode)) {
    associationsByKey[t.key] = data<RawObject>(await turris.get('/v1/downstream-entity-associations', { email: t.contact.email }));
  }
  return { associationsByKey, templates };
}
