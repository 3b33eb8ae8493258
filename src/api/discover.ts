import { mapLimit } from '../core/concurrency.js';
import { keys, type DesiredState } from '../core/desired.js';
import type { LiveSnapshot, LookupItem, LookupTables, RawObject, TurrisSnapshot } from '../core/live.js';
import type { Api } from './client.js';
import { isTurrisMatch, listTurris, LISTS } from '../kinds/find.js';
import { KINDS } from '../kinds/index.js';
import { ApiError } from './errors.js';
import type { Listing } from './http.js';

/**
 * ASSUMPTION (SPEC §8): collection keys of the HAL lists: the lookup lists' here, the kinds' lists'
 * (with their paths) in LISTS in src/kinds/find.ts.
 */
export const COLLECTION_KEYS = {
  carriers: LISTS.carriers.key, products: LISTS.products.key, commissionLevels: LISTS.commissionLevels.key, contractAssignments: LISTS.contractAssignments.key,
  linesOfBusiness: 'linesOfBusiness', contractSubmissionMethods: 'contractSubmissionMethods', annualizations: 'annualizations', assignmentStatuses: 'assignmentStatuses',
} as const;

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
  const carriers = await api.list(LISTS.carriers.path(), LISTS.carriers.key);
  const ours = want.carrier ? carriers.filter((c) => want.carrier!(String(c.name))) : carriers;
  const products = (await mapLimit(ours, concurrency, (c) => api.list(LISTS.products.path(c.id), LISTS.products.key))).flat();
  const nameOf = new Map(ours.map((c) => [c.id, String(c.name)]));
  const wanted = want.product ? products.filter((p) => want.product!(nameOf.get(String(p.carrierId)) ?? '', String(p.name))) : products;
  const levels = await mapLimit(wanted, concurrency, async (p) =>
    (await api.list(LISTS.commissionLevels.path(p.id), LISTS.commissionLevels.key)).map((l) => ({ ...l, productId: p.id })));
  return { carriers, products, levels: levels.flat() };
}

const NO_LOOKUPS: LookupTables = { linesOfBusiness: [], contractSubmissionMethods: [], annualizations: [], assignmentStatuses: [] };

/**
 * Only what the config references: declared carriers' products, declared products' levels, declared npns' contracts.
 * `lookups: false` (apply's after-check, which compares keys and resolves no names) leaves the lookup lists unread.
 */
export async function discover(api: Api, desired: DesiredState, concurrency: number, options: { lookups?: boolean } = {}): Promise<LiveSnapshot> {
  // Checked before the first request: a missing Turris credential must not surface minutes later
  // behind unrelated errors.
  if (desired.turrisInvites.length > 0 && !api.hasTurris()) {
    throw new Error(`the config has ${desired.turrisInvites.length} Turris invitation(s), but TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET are not set: set both (and TURRIS_BASE_URL outside production), or remove the turris section`);
  }
  const declaredCarriers = new Set(desired.carriers.map((c) => c.name));
  const declaredProducts = new Set(desired.products.map((p) => keys.product(p.carrier, p.name)));
  const catalog = fetchCatalog(api, concurrency, {
    carrier: (name) => declaredCarriers.has(name),
    // Pruning a product takes its levels with it, so then every product of a declared carrier is read.
    product: (carrier, product) => desired.prune.products || declaredProducts.has(keys.product(carrier, product)),
  });
  const [lookups, tree, assignments, turris, objects] = await Promise.all([options.lookups === false ? NO_LOOKUPS : fetchLookups(api), catalog, fetchAssignments(api, desired, concurrency), fetchTurris(api, desired), fetchRegistered(api, desired)]);
  return { lookups, ...tree, ...assignments, ...(turris ? { turris } : {}), ...(objects ? { objects } : {}) };
}

/** Live objects of the registered kinds that discover their own (none of the built-ins: they cost no request here). */
async function fetchRegistered(api: Api, desired: DesiredState): Promise<Record<string, RawObject[]> | undefined> {
  const kinds = KINDS.filter((k) => k.discover);
  if (kinds.length === 0) return undefined;
  const lists = await Promise.all(kinds.map((k) => k.discover!(api, desired)));
  return Object.fromEntries(kinds.map((k, i) => [k.kind, lists[i]]));
}

/**
 * Every assignment when the listing costs no more requests than one lookup per declared producer
 * (so producers removed from the config still show as unmanaged), or when pruning needs it; else
 * one lookup per producer, and the snapshot says the unmanaged ones could not be listed.
 */
async function fetchAssignments(api: Api, desired: DesiredState, concurrency: number): Promise<Pick<LiveSnapshot, 'assignments' | 'assignmentsUnlisted'>> {
  // Uplines too: an upline declared nowhere may hold its position live (SPEC §10, uplineExists).
  const uplines = [...desired.assignments.map((a) => a.fields.upline), ...desired.invites.flatMap((i) => i.contracts.map((c) => c.uplineNpn))].filter((u): u is string => typeof u === 'string');
  const npns = [...new Set([...desired.assignments.map((a) => a.npn), ...desired.invites.map((i) => i.producer.npn), ...uplines])];
  const pruning = desired.prune.assignments || desired.prune.products;
  const declaredCarriers = desired.carriers.length > 0;
  if (npns.length === 0 && !pruning) {
    return { assignments: [], ...(declaredCarriers ? { assignmentsUnlisted: 'the config declares no producer, so none was looked up (reading the whole listing would add requests)' } : {}) };
  }
  const listing = await openAssignments(api);
  // The first page is paid for: the rest of the listing against one lookup per producer.
  if (listing && (pruning || listing.totalPages - 1 <= npns.length)) return { assignments: await listing.all() };
  const assignments = (await mapLimit(npns, concurrency, (npn) => api.list(LISTS.contractAssignments.path(), LISTS.contractAssignments.key, { npn }))).flat();
  const why = listing
    ? `the assignment listing has ${listing.totalPages} pages of ${listing.pageSize}, more requests than looking up the ${npns.length} declared producer(s)`
    : 'the API refused the unfiltered assignment listing';
  return { assignments, assignmentsUnlisted: why };
}

/**
 * ASSUMPTION (SPEC §8): GET /v1/customers/contractAssignments without `npn` lists every assignment.
 * Its first page tells the size of the whole listing (in the API's real page size); a listing the
 * API rejects → undefined.
 */
async function openAssignments(api: Api): Promise<Listing<RawObject> | undefined> {
  try {
    return await api.agentsync.open<RawObject>(LISTS.contractAssignments.path(), LISTS.contractAssignments.key);
  } catch (cause) {
    if (cause instanceof ApiError && [400, 403, 404, 405].includes(cause.status)) return undefined;
    throw cause;
  }
}

/** Every assignment of the account (export), or undefined when the API rejects the unfiltered listing. */
export async function listAllAssignments(api: Api): Promise<RawObject[] | undefined> {
  return (await openAssignments(api))?.all();
}

async function fetchTurris(api: Api, desired: DesiredState): Promise<TurrisSnapshot | undefined> {
  if (desired.turrisInvites.length === 0) return undefined;
  const templates = (await listTurris(api, '/v1/contract-container-templates')) as Array<{ _id: string; name: string; status?: string }>;
  const associationsByKey: Record<string, RawObject[]> = {};
  const byCode = desired.turrisInvites.filter((t) => t.producerCode);
  if (byCode.length > 0) {
    const all = (await listTurris(api, '/v1/downstream-entity-associations')) as RawObject[];
    for (const t of byCode) associationsByKey[t.key] = all.filter((a) => isTurrisMatch(a, { producerCode: t.producerCode }));
  }
  for (const t of desired.turrisInvites.filter((x) => !x.producerCode)) {
    const found = (await listTurris(api, '/v1/downstream-entity-associations', { email: t.contact.email })) as RawObject[];
    associationsByKey[t.key] = found.filter((a) => isTurrisMatch(a, { email: t.contact.email }));
  }
  return { associationsByKey, templates };
}
