import { keys, type DesiredProduct } from '../core/desired.js';
import type { RawObject } from '../core/live.js';
import type { LookupTable } from '../core/lookups.js';
import { addressKey, type Value, type View } from '../core/types.js';
import { carrierDeclared, planObject, same, undeclared, USER_DEFINED, viewOf } from './common.js';
import { findProductId } from './find.js';
import { idOf, idOrRef, pathOf, type KindContext, type KindModule } from '../core/kind.js';

/** Config field → lookup table and wire field. */
const LOOKUP_FIELDS: Record<string, { table: LookupTable; wire: string }> = {
  lineOfBusiness: { table: 'linesOfBusiness', wire: 'lineOfBusinessId' },
  contractSubmissionMethod: { table: 'contractSubmissionMethods', wire: 'contractSubmissionMethodId' },
  annualization: { table: 'annualizations', wire: 'annualizationId' },
};

function resolve(ctx: KindContext, p: DesiredProduct): { view: View; body: Record<string, Value> } {
  const view: View = { ...p.fields };
  const body: Record<string, Value> = { name: p.name };
  for (const [field, value] of Object.entries(p.fields)) {
    const lookup = LOOKUP_FIELDS[field];
    if (!lookup) {
      body[field] = value;
      continue;
    }
    const item = ctx.lookups.resolve(lookup.table, String(value), p.fieldSources[field], ctx.diagnostics);
    if (item) {
      view[field] = item.name;
      body[lookup.wire] = item.id;
    }
  }
  return { view, body };
}

function liveView(ctx: KindContext, raw: RawObject): View {
  const name = (id: unknown) => ctx.lookups.nameOf(id) ?? `(unknown id ${String(id)})`;
  const view = viewOf(raw, { displayCommissionLevelPercentages: same, administrativeDivisions: same, ...Object.fromEntries(USER_DEFINED.map((f) => [f, same])) });
  for (const [field, { wire }] of Object.entries(LOOKUP_FIELDS)) if (raw[wire] !== undefined && raw[wire] !== null) view[field] = name(raw[wire]);
  return view;
}

export const productKind: KindModule = {
  kind: 'product',
  plan(ctx) {
    for (const p of ctx.desired.products) {
      const key = keys.product(p.carrier, p.name);
      const { view, body } = resolve(ctx, p);
      const live = ctx.index.productByKey.get(key);
      const carrierKey = addressKey({ kind: 'carrier', key: keys.carrier(p.carrier) });
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'product', key },
        identity: { carrier: p.carrier, product: p.name },
        desired: view,
        source: p.source,
        live,
        liveView: live && liveView(ctx, live),
        comparators: { administrativeDivisions: 'set' },
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

