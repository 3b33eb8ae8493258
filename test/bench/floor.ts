/**
 * The request floor of a bench run: the fewest requests ANY client could make to do the same work
 * against the same account, and the least wall time a rate limit allows for a number of requests.
 *
 * Reads (what must be known before deciding): 1 token; the 4 lookup lists names resolve against;
 * every page of the carrier listing; for each declared carrier that exists, every page of its
 * products; for each declared product that exists, every page of its levels; and the contract
 * assignments of the declared producers — the cheaper of every page of the unfiltered listing and
 * one filtered read per producer. Pages counted at the largest page size the API serves.
 * Writes: one per object the run created — except that an invitation creates its producer's
 * contracts in one request, and the new levels of one product go in one bulk POST — counted from
 * what changed in the emulator's store, not from what downline sent.
 * (The bench's runs create only; an update floor would count bulk updates per bulk request.)
 */
import type { Emulator } from '../../src/emulator/server.js';

/** The emulator's default largest page (`maxPageSize`), as the API documents 1,000. */
export const MAX_PAGE = 1000;
const LOOKUPS = 4;

export interface Counts { carriers: number; products: number; levels: number; assignments: number; invitations: number; invited: number }

export function countsOf(em: Emulator): Counts {
  const d = em.store.data;
  const invited = d.invitations.reduce((n, i) => n + ((i.assignmentIds as unknown[] | undefined)?.length ?? 0), 0);
  return { carriers: d.carriers.length, products: d.products.length, levels: d.levels.length, assignments: d.assignments.length, invitations: d.invitations.length, invited };
}

const pages = (n: number) => Math.max(1, Math.ceil(n / MAX_PAGE));

/**
 * `before`: the account before the run; `after`: after it; `npns`: declared producers. The bench's
 * configs declare every carrier and product of the account, so each existing one is read.
 */
export function requestFloor(em: Emulator, before: Counts, after: Counts, npns: number): number {
  const d = em.store.data;
  const existingCarriers = d.carriers.slice(0, before.carriers);
  const existingProducts = d.products.slice(0, before.products);
  const productPages = existingCarriers.reduce((n, c) => n + pages(existingProducts.filter((p) => p.carrierId === c.id).length), 0);
  const existingLevels = d.levels.slice(0, before.levels);
  const levelPages = existingProducts.reduce((n, p) => n + pages(existingLevels.filter((l) => l.productId === p.id).length), 0);
  const assignmentReads = npns === 0 ? 0 : Math.min(pages(before.assignments), npns);
  const reads = 1 + LOOKUPS + pages(before.carriers) + productPages + levelPages + assignmentReads;
  const invitedNow = after.invited - before.invited;
  const levelBulks = new Set(d.levels.slice(before.levels, after.levels).map((l) => l.productId)).size;
  const writes = (after.carriers - before.carriers) + (after.products - before.products) + levelBulks
    + (after.invitations - before.invitations) + (after.assignments - before.assignments - invitedNow);
  return reads + writes;
}

/** Under a limit of `perMinute` requests a minute, `requests` take at least this long (ms) at the sustained rate. */
export const minWallMs = (requests: number, perMinute: number): number => (requests / perMinute) * 60_000;
