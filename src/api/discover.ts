import { emptyDesiredState, type DesiredState } from '../core/desired.js';
import type { DiscoverContext, Discovered, KindModule } from '../core/kind.js';
import { emptyObjects, type LiveLevel, type LiveObjects, type LiveSnapshot, type LookupItem, type LookupTables, type RawObject } from '../core/live.js';
import { declaredScope, everything } from '../core/scope.js';
import type { KindName } from '../core/types.js';
import type { Api } from './client.js';
import { KINDS, kindOf } from '../kinds/index.js';

/** ASSUMPTION (SPEC §8): the lookup lists, at /v1/{name}, each under `_embedded.{name}`. */
export const LOOKUP_TABLES = ['linesOfBusiness', 'contractSubmissionMethods', 'annualizations', 'assignmentStatuses'] as const;
export const lookupPath = (table: (typeof LOOKUP_TABLES)[number]): string => `/v1/${table}`;

export async function fetchLookups(api: Api): Promise<LookupTables> {
  const lists = await Promise.all(LOOKUP_TABLES.map((t) => api.list(lookupPath(t), t)));
  return Object.fromEntries(LOOKUP_TABLES.map((t, i) => [t, lists[i] as unknown as LookupItem[]])) as unknown as LookupTables;
}

/**
 * Every kind's live objects at once, through its own `discover`: a child kind awaits its parent's
 * objects (products the carriers'), so each level of the tree is listed as soon as the one above it is.
 */
export async function discoverKinds(api: Api, kinds: readonly KindModule[], context: Omit<DiscoverContext, 'found'>): Promise<Map<KindName, Discovered>> {
  const running = new Map<KindName, Promise<Discovered>>();
  const found = async (kind: KindName): Promise<readonly RawObject[]> => {
    await null; // every discovery is started before any awaits another
    const discovery = running.get(kind);
    if (!discovery) throw new Error(`kind "${kind}" is not discovered in this run`);
    return (await discovery).objects;
  };
  for (const kind of kinds) if (kind.discover) running.set(kind.kind, kind.discover(api, { ...context, found }));
  const done = await Promise.all(running.values());
  return new Map([...running.keys()].map((kind, i) => [kind, done[i]]));
}

const NO_LOOKUPS: LookupTables = { linesOfBusiness: [], contractSubmissionMethods: [], annualizations: [], assignmentStatuses: [] };

/**
 * Only what the config reaches: declared carriers' products, declared products' levels, declared
 * producers' contracts (see each kind's `discover`). `lookups: false` (apply's after-check, which
 * compares keys and resolves no names) leaves the lookup lists unread.
 */
export async function discover(api: Api, desired: DesiredState, concurrency: number, options: { lookups?: boolean } = {}): Promise<LiveSnapshot> {
  // The kinds' first: the carrier listing heads the longest chain (carriers → products → levels).
  const kinds = discoverKinds(api, KINDS, { desired, concurrency, inScope: declaredScope(desired, KINDS) });
  const [found, lookups] = await Promise.all([kinds, options.lookups === false ? NO_LOOKUPS : fetchLookups(api)]);
  const snapshot: LiveSnapshot = { lookups, objects: emptyObjects() };
  for (const [kind, d] of found) {
    (snapshot.objects as Record<string, readonly RawObject[]>)[kind] = d.objects;
    if (d.unlisted) (snapshot.unlisted ??= {})[kind] = d.unlisted;
    if (d.contractTemplates) snapshot.contractTemplates = d.contractTemplates;
  }
  return snapshot;
}

/** The catalog kinds' objects within a scope: export reads every one, doctor a sample. */
export async function fetchCatalog(api: Api, concurrency: number, inScope: DiscoverContext['inScope'] = everything): Promise<Pick<LiveObjects, 'carrier' | 'product' | 'commissionLevel'>> {
  const found = await discoverKinds(api, (['carrier', 'product', 'commissionLevel'] as const).map(kindOf), { desired: emptyDesiredState(), concurrency, inScope });
  return { carrier: found.get('carrier')!.objects, product: found.get('product')!.objects, commissionLevel: found.get('commissionLevel')!.objects as LiveLevel[] };
}
