import { mapLimit } from '../core/concurrency.js';
import { keys, prunes, type DesiredLevel } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import type { RawObject } from '../core/live.js';
import type { Lookups } from '../core/lookups.js';
import { addressKey, type Value, type View } from '../core/types.js';
import { carrierDeclared, planObject, productPruned, undeclared } from './common.js';
import { STATES, USER_DEFINED_FIELDS } from './fields.js';
import { locateByName } from '../core/find.js';
import { idOf, idOrRef, itemPath, pathOf, type KindContext, type KindModule, type Listing } from '../core/kind.js';

/**
 * ASSUMPTION (SPEC §8): commission level `type` is sent as `Percent` / `Dollar` / `Number`.
 * The best-practices page says upper case is rejected; the quick-start table shows upper case.
 * This constant is the one place that decides.
 */
export const COMMISSION_TYPE_WIRE: Record<string, string> = { Percent: 'Percent', Dollar: 'Dollar', Number: 'Number' };

/** Live type in any casing → the name-space spelling (Percent). */
const displayType = (v: unknown): Value => (typeof v === 'string' ? v.charAt(0).toUpperCase() + v.slice(1).toLowerCase() : (v as Value));

/** An amount the export writes as the API holds it (null included): only an absent one is left out. */
const asHeld = (value: unknown) => value;

/** A level's declared fields: the one list its config, views, writes, comparison and export come from. */
const FIELDS: readonly FieldSpec[] = [
  // The config (and export) write the type in lower case; views show the capitalised word.
  { name: 'type', readBack: true, read: displayType, write: (value) => ({ view: value, wire: COMMISSION_TYPE_WIRE[String(value)] ?? value }), export: (value) => String(value).toLowerCase() },
  { name: 'firstYearValue', readBack: true, compare: 'number', export: asHeld },
  { name: 'level', readBack: true, compare: 'number', export: asHeld },
  STATES, ...USER_DEFINED_FIELDS,
];

/** ASSUMPTION (SPEC §8): a product's levels are listed at /v1/customers/{productId}/commissionLevels, under `_embedded.commissionLevels`. */
const LISTING: Listing = { path: (productId) => `/v1/customers/${productId}/commissionLevels`, key: 'commissionLevels', parent: 'product', item: '/v1/customers/commissionLevels' };

const liveView = (raw: RawObject, lookups: Lookups): View => liveViewOf(FIELDS, raw, lookups);

/** Live levels outside the config: unmanaged, or deleted when pruning covers them. */
function planUndeclared(ctx: KindContext): void {
  const declared = new Set(ctx.desired.entries.commissionLevel.map((l) => keys.level(l.carrier, l.product, l.name)));
  // Every live level, duplicates of one name included (the second is `key#2`): none is invisible.
  for (const live of ctx.live.objects.commissionLevel) {
    const parts = ctx.index.parts('commissionLevel', live.id);
    if (!parts) continue;
    const [carrier, product, name] = parts;
    const key = keys.level(carrier, product, name);
    if (declared.has(key) || !carrierDeclared(ctx, carrier)) continue;
    // Assignments still on this level must move or go first, or the API refuses the delete.
    const dependsOn = ctx.live.objects.assignment.filter((a) => a.commissionLevelId === live.id && ctx.index.keyById.has(a.id)).map((a) => addressKey({ kind: 'assignment', key: ctx.index.keyById.get(a.id)! }));
    undeclared(ctx, { address: { kind: 'commissionLevel', key: ctx.index.keyById.get(live.id)! }, identity: { carrier, product, commissionLevel: name }, live, before: liveView(live, ctx.lookups),
      pruned: prunes(ctx.desired.prune, 'commissionLevel') || productPruned(ctx, carrier, product), path: itemPath(LISTING, live.id), dependsOn });
  }
}

export const commissionLevelKind: KindModule = {
  kind: 'commissionLevel',
  title: 'Commission levels',
  key: { parts: ['carrier', 'product', 'commissionLevel'] },
  noun: 'commission level',
  fields: FIELDS,
  listing: LISTING,
  index: { parts: (o, partsOf) => { const product = partsOf('product', o.productId); return product && [...product, String(o.name)]; }, duplicates: 'ambiguous', parent: { field: 'productId', noun: 'product' } },
  declaredParts: (l) => [(l as DesiredLevel).carrier, (l as DesiredLevel).product, (l as DesiredLevel).name],
  // The levels of the products in scope (the API's level names no product: each is tagged with the one it was listed under).
  async discover(api, ctx) {
    const carriers = new Map((await ctx.found('carrier')).map((c) => [c.id, String(c.name)]));
    const products = (await ctx.found('product')).filter((p) => ctx.inScope('product', [carriers.get(String(p.carrierId)) ?? '', String(p.name)]));
    const levels = await mapLimit(products, ctx.concurrency, async (p) => (await api.list(LISTING.path(p.id), LISTING.key)).map((l) => ({ ...l, productId: p.id })));
    return { objects: levels.flat() };
  },
  plan(ctx) {
    for (const l of ctx.desired.entries.commissionLevel) {
      const productKey = keys.product(l.carrier, l.product);
      const productAddress = addressKey({ kind: 'product', key: productKey });
      const live = ctx.index.get('commissionLevel', keys.level(l.carrier, l.product, l.name));
      const { view, body } = declaredWrite(FIELDS, l.fields, ctx, l.fieldSources, { name: l.name });
      const product = idOrRef(ctx.index.get('product', productKey)?.id, productAddress);
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'commissionLevel', key: keys.level(l.carrier, l.product, l.name) },
        identity: { carrier: l.carrier, product: l.product, commissionLevel: l.name },
        desired: view,
        source: l.source,
        live,
        liveView: live && liveView(live, ctx.lookups),
        comparators: comparatorsOf(FIELDS),
        dependsOn: [productAddress],
        // New levels of one product travel together in one bulk POST.
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/${product}/commissionLevels`, body,
          batch: { key: `POST levels ${productKey}`, ...pathOf`/v1/customers/${product}/commissionLevels/bulk` } }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...itemPath(LISTING, live!.id), body: { id: live!.id, ...body },
          batch: { key: 'PUT levels', path: '/v1/customers/commissionLevels/bulk', refs: [], wrap: 'commissionLevels' } }),
      }));
    }
    planUndeclared(ctx);
  },
  locate: locateByName,
  createdId: idOf,
  matchesCreated: (change, created) => !!created && typeof created === 'object' && (created as { name?: unknown }).name === change.identity.commissionLevel,
};
