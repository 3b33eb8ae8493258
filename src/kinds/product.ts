import { keys } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import type { RawObject } from '../core/live.js';
import { addressKey, type View } from '../core/types.js';
import { carrierDeclared, planObject, undeclared } from './common.js';
import { lookupField, STATES, USER_DEFINED_FIELDS } from './fields.js';
import { findProductId } from './find.js';
import { idOf, idOrRef, pathOf, type KindContext, type KindModule } from '../core/kind.js';

/** A product's declared fields: the one list its config, views, writes, comparison and export come from. */
const FIELDS: readonly FieldSpec[] = [
  // Every product has a line of business: the export writes one even when its id is unknown.
  { ...lookupField('lineOfBusiness', 'lineOfBusinessId', 'linesOfBusiness', 'line of business'), readBack: true, export: (id, ctx) => ctx.name(id, 'line of business') ?? '(unknown)' },
  { ...lookupField('contractSubmissionMethod', 'contractSubmissionMethodId', 'contractSubmissionMethods', 'submission method'), readBack: true },
  { ...lookupField('annualization', 'annualizationId', 'annualizations', 'annualization'), readBack: true },
  { name: 'displayCommissionLevelPercentages' }, STATES, ...USER_DEFINED_FIELDS,
];

const liveView = (ctx: KindContext, raw: RawObject): View => liveViewOf(FIELDS, raw, ctx.lookups);

export const productKind: KindModule = {
  kind: 'product',
  title: 'Products',
  key: { parts: ['carrier', 'product'] },
  noun: 'product',
  liveObjects: (live) => live.products,
  fields: FIELDS,
  plan(ctx) {
    for (const p of ctx.desired.products) {
      const key = keys.product(p.carrier, p.name);
      const { view, body } = declaredWrite(FIELDS, p.fields, ctx, p.fieldSources, { name: p.name });
      const live = ctx.index.productByKey.get(key);
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
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/carriers/${idOrRef(ctx.index.carrierByName.get(p.carrier)?.id, carrierKey)}/products`, body }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...pathOf`/v1/customers/products/${live!.id}`, body }),
      }));
    }
    const declared = new Set(ctx.desired.products.map((p) => keys.product(p.carrier, p.name)));
    // Every live product, duplicates of one name included (the second is `key#2`): none is invisible.
    for (const live of ctx.live.products) {
      const owner = ctx.index.productById.get(live.id);
      if (!owner) continue;
      const key = keys.product(owner.carrier, owner.name);
      if (declared.has(key) || !carrierDeclared(ctx, owner.carrier)) continue;
      // Its levels and contract assignments must go first: the API refuses to delete a product in use.
      const dependsOn = [
        ...ctx.live.levels.filter((l) => l.productId === live.id).map((l) => addressKey({ kind: 'commissionLevel', key: ctx.index.keyById.get(l.id)! })),
        ...ctx.live.assignments.filter((a) => String(a.productId) === live.id).map((a) => addressKey({ kind: 'assignment', key: ctx.index.keyById.get(a.id)! })),
      ];
      undeclared(ctx, { address: { kind: 'product', key: ctx.index.keyById.get(live.id)! }, identity: { carrier: owner.carrier, product: owner.name }, live, before: liveView(ctx, live),
        pruned: ctx.desired.prune.products, path: pathOf`/v1/customers/products/${live.id}`, dependsOn });
    }
  },
  locate: (change, api, ids) => findProductId(api, change.identity.carrier, change.identity.product, ids),
  createdId: idOf,
};

