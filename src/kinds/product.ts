import { mapLimit } from '../core/concurrency.js';
import { keys, prunes, type DesiredProduct } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import type { RawObject } from '../core/live.js';
import { addressKey, type View } from '../core/types.js';
import { carrierDeclared, planObject, undeclared } from './common.js';
import { lookupField, STATES, USER_DEFINED_FIELDS } from './fields.js';
import { locateByName } from '../core/find.js';
import { idOf, idOrRef, itemPath, pathOf, type KindContext, type KindModule, type Listing } from '../core/kind.js';

/** A product's declared fields: the one list its config, views, writes, comparison and export come from. */
const FIELDS: readonly FieldSpec[] = [
  // Every product has a line of business: the export writes one even when its id is unknown.
  { ...lookupField('lineOfBusiness', 'lineOfBusinessId', 'linesOfBusiness', 'line of business'), readBack: true, export: (id, ctx) => ctx.name(id, 'line of business') ?? '(unknown)' },
  { ...lookupField('contractSubmissionMethod', 'contractSubmissionMethodId', 'contractSubmissionMethods', 'submission method'), readBack: true },
  { ...lookupField('annualization', 'annualizationId', 'annualizations', 'annualization'), readBack: true },
  { name: 'displayCommissionLevelPercentages' }, STATES, ...USER_DEFINED_FIELDS,
];

/** ASSUMPTION (SPEC §8): a carrier's products are listed at /v1/customers/carriers/{carrierId}/products, under `_embedded.products`. */
const LISTING: Listing = { path: (carrierId) => `/v1/customers/carriers/${carrierId}/products`, key: 'products', parent: 'carrier', item: '/v1/customers/products' };

const liveView = (ctx: KindContext, raw: RawObject): View => liveViewOf(FIELDS, raw, ctx.lookups);

export const productKind: KindModule = {
  kind: 'product',
  title: 'Products',
  key: { parts: ['carrier', 'product'] },
  noun: 'product',
  fields: FIELDS,
  listing: LISTING,
  index: { parts: (o, partsOf) => { const carrier = partsOf('carrier', o.carrierId); return carrier && [...carrier, String(o.name)]; }, duplicates: 'ambiguous', parent: { field: 'carrierId', noun: 'carrier' } },
  declaredParts: (p) => [(p as DesiredProduct).carrier, (p as DesiredProduct).name],
  // The products of the carriers in scope, those carriers listed concurrently.
  async discover(api, ctx) {
    const carriers = (await ctx.found('carrier')).filter((c) => ctx.inScope('carrier', [String(c.name)]));
    return { objects: (await mapLimit(carriers, ctx.concurrency, (c) => api.list(LISTING.path(c.id), LISTING.key))).flat() };
  },
  plan(ctx) {
    for (const p of ctx.desired.entries.product) {
      const key = keys.product(p.carrier, p.name);
      const { view, body } = declaredWrite(FIELDS, p.fields, ctx, p.fieldSources, { name: p.name });
      const live = ctx.index.get('product', key);
      const carrierKey = addressKey({ kind: 'carrier', key: keys.carrier(p.carrier) });
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'product', key },
        identity: { carrier: p.carrier, product: p.name },
        desired: view,
        source: p.source,
        live,
        liveView: live && liveView(ctx, live),
        comparators: comparatorsOf(FIELDS),
        dependsOn: [carrierKey],
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/carriers/${idOrRef(ctx.index.get('carrier', keys.carrier(p.carrier))?.id, carrierKey)}/products`, body }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...itemPath(LISTING, live!.id), body }),
      }));
    }
    const declared = new Set(ctx.desired.entries.product.map((p) => keys.product(p.carrier, p.name)));
    // Every live product, duplicates of one name included (the second is `key#2`): none is invisible.
    for (const live of ctx.live.objects.product) {
      const parts = ctx.index.parts('product', live.id);
      if (!parts) continue;
      const [carrier, name] = parts;
      const key = keys.product(carrier, name);
      if (declared.has(key) || !carrierDeclared(ctx, carrier)) continue;
      // Its levels and contract assignments must go first: the API refuses to delete a product in use.
      const dependsOn = [
        ...ctx.live.objects.commissionLevel.filter((l) => l.productId === live.id).map((l) => addressKey({ kind: 'commissionLevel', key: ctx.index.keyById.get(l.id)! })),
        ...ctx.live.objects.assignment.filter((a) => String(a.productId) === live.id).map((a) => addressKey({ kind: 'assignment', key: ctx.index.keyById.get(a.id)! })),
      ];
      undeclared(ctx, { address: { kind: 'product', key: ctx.index.keyById.get(live.id)! }, identity: { carrier, product: name }, live, before: liveView(ctx, live),
        pruned: prunes(ctx.desired.prune, 'product'), path: itemPath(LISTING, live.id), dependsOn });
    }
  },
  locate: locateByName,
  createdId: idOf,
};

