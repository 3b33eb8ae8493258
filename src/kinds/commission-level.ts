import { keys } from '../core/desired.js';
import type { RawObject } from '../core/live.js';
import { addressKey, type Value, type View } from '../core/types.js';
import { carrierDeclared, planObject, productPruned, same, undeclared, USER_DEFINED, viewOf } from './common.js';
import { findLevelId } from './find.js';
import { idOf, idOrRef, pathOf, type KindContext, type KindModule } from '../core/kind.js';

/**
 * ASSUMPTION (SPEC §8): commission level `type` is sent as `Percent` / `Dollar` / `Number`.
 * The best-practices page says upper case is rejected; the quick-start table shows upper case.
 * This constant is the one place that decides.
 */
export const COMMISSION_TYPE_WIRE: Record<string, string> = { Percent: 'Percent', Dollar: 'Dollar', Number: 'Number' };

/** Live type in any casing → the name-space spelling (Percent). */
const displayType = (v: unknown) => (typeof v === 'string' ? v.charAt(0).toUpperCase() + v.slice(1).toLowerCase() : v);

function wire(fields: View, name: string): Record<string, Value> {
  const body: Record<string, Value> = { name };
  for (const [field, value] of Object.entries(fields)) body[field] = field === 'type' ? COMMISSION_TYPE_WIRE[String(value)] ?? value : value;
  return body;
}

function liveView(raw: RawObject): View {
  return viewOf(raw, { type: displayType, firstYearValue: same, level: same, administrativeDivisions: same, ...Object.fromEntries(USER_DEFINED.map((f) => [f, same])) });
}

/** Live levels outside the config: unmanaged, or deleted when pruning covers them. */
function planUndeclared(ctx: KindContext): void {
  const declared = new Set(ctx.desired.levels.map((l) => keys.level(l.carrier, l.product, l.name)));
  // Every live level, duplicates of one name included (the second is `key#2`): none is invisible.
  for (const live of ctx.live.levels) {
    const owner = ctx.index.levelById.get(live.id);
    if (!owner) continue;
    const key = keys.level(owner.carrier, owner.product, owner.name);
    if (declared.has(key) || !carrierDeclared(ctx, owner.carrier)) continue;
    // Assignments still on this level must move or go first, or the API refuses the delete.
    const dependsOn = ctx.live.assignments.filter((a) => a.commissionLevelId === live.id && ctx.index.keyById.has(a.id)).map((a) => addressKey({ kind: 'assignment', key: ctx.index.keyById.get(a.id)! }));
    undeclared(ctx, { address: { kind: 'commissionLevel', key: ctx.index.keyById.get(live.id)! }, identity: { carrier: owner.carrier, product: owner.product, commissionLevel: owner.name }, live, before: liveView(live),
      pruned: ctx.desired.prune.commissionLevels || productPruned(ctx, owner.carrier, owner.product), path: pathOf`/v1/customers/commissionLevels/${live.id}`, dependsOn });
  }
}

export const commissionLevelKind: KindModule = {
  kind: 'commissionLevel',
  plan(ctx) {
    for (const l of ctx.desired.levels) {
      const productKey = keys.product(l.carrier, l.product);
      const productAddress = addressKey({ kind: 'product', key: productKey });
      const live = ctx.index.levelByKey.get(keys.level(l.carrier, l.product, l.name));
      const body = wire(l.fields, l.name);
      const product = idOrRef(ctx.index.productByKey.get(productKey)?.id, productAddress);
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'commissionLevel', key: keys.level(l.carrier, l.product, l.name) },
        identity: { carrier: l.carrier, product: l.product, commissionLevel: l.name },
        desired: l.fields,
        source: l.source,
        live,
        liveView: live && liveView(live),
        comparators: { firstYearValue: 'number', level: 'number', administrativeDivisions: 'set' },
        dependsOn: [productAddress],
        // New levels of one product travel together in one bulk POST.
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/${product}/commissionLevels`, body,
          batch: { key: `POST levels ${productKey}`, ...pathOf`/v1/customers/${product}/commissionLevels/bulk` } }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...pathOf`/v1/customers/commissionLevels/${live!.id}`, body: { id: live!.id, ...body },
          batch: { key: 'PUT levels', path: '/v1/customers/commissionLevels/bulk', refs: [], wrap: 'commissionLevels' } }),
      }));
    }
    planUndeclared(ctx);
  },
  locate: (change, api, ids) => findLevelId(api, change.identity.carrier, change.identity.product, change.identity.commissionLevel, ids),
  createdId: idOf,
  matchesCreated: (change, created) => !!created && typeof created === 'object' && (created as { name?: unknown }).name === change.identity.commissionLevel,
};
