import { keyOfParts, type KindModule, type LocateContext } from './kind.js';
import type { ApiPort } from './ports.js';
import { addressKey } from './types.js';

/**
 * The id of the live object of `kind` at these key parts, its name being the last part: listed
 * under its parent (found the same way, through the parent kind's listing). Ids created earlier in
 * the run (the id table) save the listings. For recovery after an ambiguous write and stale checks.
 */
export async function findByName(api: ApiPort, kind: KindModule, parts: readonly string[], ctx: LocateContext): Promise<string | null> {
  const known = ctx.ids.get(addressKey({ kind: kind.kind, key: keyOfParts(kind, parts) }));
  if (known) return known;
  const listing = kind.listing;
  if (!listing) throw new Error(`kind "${kind.kind}" has no listing to find its objects in`);
  let parentId: string | undefined;
  if (listing.parent) {
    const parent = await findByName(api, ctx.kind(listing.parent), parts.slice(0, -1), ctx);
    if (!parent) return null;
    parentId = parent;
  }
  const items = await api.list(listing.path(parentId), listing.key);
  return items.find((o) => o.name === parts[parts.length - 1])?.id ?? null;
}

/** `locate` of a kind keyed by its parents' names and its own: found by name under its parent. */
export const locateByName: KindModule['locate'] = (change, api, ctx) => {
  const kind = ctx.kind(change.address.kind);
  return findByName(api, kind, kind.key.parts.map((p) => change.identity[p]), ctx);
};
