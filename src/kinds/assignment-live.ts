import { mapLimit } from '../core/concurrency.js';
import { prunes, type DesiredAssignment, type DesiredState } from '../core/desired.js';
import type { KindModule, Listing, LocateContext } from '../core/kind.js';
import type { RawObject } from '../core/live.js';
import type { ApiPort, DiscoveryPort, Listing as Paged } from '../core/ports.js';
import { findByName } from '../core/find.js';

/**
 * ASSUMPTION (SPEC §8): contract assignments are listed at /v1/customers/contractAssignments
 * (`_embedded.contractAssignments`), filtered by `npn`; without it, every assignment of the account.
 */
export const ASSIGNMENT_LISTING: Listing = { path: () => '/v1/customers/contractAssignments', key: 'contractAssignments', item: '/v1/customers/contractAssignments' };

/** Ids of the live assignments of `npn` on the product. */
export async function findAssignmentIds(api: ApiPort, npn: string, carrier: string, product: string, ctx: LocateContext): Promise<string[]> {
  const productId = await findByName(api, ctx.kind('product'), [carrier, product], ctx);
  if (!productId) return [];
  const assignments = await api.list(ASSIGNMENT_LISTING.path(), ASSIGNMENT_LISTING.key, { npn });
  return assignments.filter((a) => a.productId === productId).map((a) => a.id);
}

/**
 * The unfiltered listing, opened at its first page (which tells the size of the whole listing in
 * the API's real page size); undefined when the API refuses it.
 */
async function openAssignments(api: DiscoveryPort): Promise<Paged<RawObject> | undefined> {
  try {
    return await api.open(ASSIGNMENT_LISTING.path(), ASSIGNMENT_LISTING.key);
  } catch (cause) {
    const status = (cause as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && [400, 403, 404, 405].includes(status)) return undefined;
    throw cause;
  }
}

/** Every assignment of the account (export), or undefined when the API rejects the unfiltered listing. */
export async function listAllAssignments(api: DiscoveryPort): Promise<RawObject[] | undefined> {
  return (await openAssignments(api))?.all();
}

/** The producers whose contracts the config reaches: declared, invited, and every upline named (SPEC §10, uplineExists). */
function reachedNpns(desired: DesiredState): string[] {
  const uplines = [...desired.entries.assignment.map((a) => a.fields.upline), ...desired.entries.invite.flatMap((i) => i.contracts.map((c) => c.uplineNpn))];
  return [...new Set([...desired.entries.assignment.map((a) => a.npn), ...desired.entries.invite.map((i) => i.producer.npn), ...uplines.filter((u): u is string => typeof u === 'string')])];
}

/** How a contract assignment's live side is read: listed, indexed by `npn@carrier/product`, looked up again. */
export const ASSIGNMENT_LIVE: Pick<KindModule, 'listing' | 'index' | 'declaredParts' | 'discover' | 'locate'> = {
  listing: ASSIGNMENT_LISTING,
  // Several contracts of one producer on one product are duplicates the assignment kind reports itself.
  index: { parts: (o, partsOf) => { const product = partsOf('product', o.productId); return product && [String(o.npn), ...product]; }, duplicates: 'list' },
  declaredParts: (a) => [(a as DesiredAssignment).npn, (a as DesiredAssignment).carrier, (a as DesiredAssignment).product],
  /**
   * Every assignment when the listing costs no more requests than one lookup per producer the config
   * reaches (so producers removed from the config still show as unmanaged), or when pruning needs
   * it; else one lookup per producer, and the snapshot says the unmanaged ones could not be listed.
   */
  async discover(api, { desired, concurrency }) {
    const npns = reachedNpns(desired);
    const pruning = prunes(desired.prune, 'assignment') || prunes(desired.prune, 'product');
    if (npns.length === 0 && !pruning) {
      return { objects: [], ...(desired.entries.carrier.length > 0 ? { unlisted: 'the config declares no producer, so none was looked up (reading the whole listing would add requests)' } : {}) };
    }
    const listing = await openAssignments(api);
    // The first page is paid for: the rest of the listing against one lookup per producer.
    if (listing && (pruning || listing.totalPages - 1 <= npns.length)) return { objects: await listing.all() };
    const objects = (await mapLimit(npns, concurrency, (npn) => api.list(ASSIGNMENT_LISTING.path(), ASSIGNMENT_LISTING.key, { npn }))).flat();
    const unlisted = listing
      ? `the assignment listing has ${listing.totalPages} pages of ${listing.pageSize}, more requests than looking up the ${npns.length} declared producer(s)`
      : 'the API refused the unfiltered assignment listing';
    return { objects, unlisted };
  },
  async locate(change, api, ctx) {
    const found = await findAssignmentIds(api, change.identity.npn, change.identity.carrier, change.identity.product, ctx);
    return found[0] ?? null;
  },
};
