import { keys } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import type { RawObject } from '../core/live.js';
import type { Lookups } from '../core/lookups.js';
import { addressKey, type Value, type View } from '../core/types.js';
import { carrierDeclared, planObject, productPruned, undeclared } from './common.js';
import { STATES, USER_DEFINED_FIELDS } from './fields.js';
import { findLevelId } from './find.js';
import { idOf, idOrRef, pathOf, type KindContext, type KindModule } from '../core/kind.js';

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

const liveView = (raw: RawObject, lookups: Lookups): View => liveViewOf(FIELDS, raw, lookups);

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
    undeclared(ctx, { address: { kind: 'commissionLevel', key: ctx.index.keyById.get(live.id)! }, identity: { carrier: owner.carrier, product: owner.product, commissionLevel: owner.name }, live, before: liveView(live, ctx.lookups),
      pruned: ctx.desired.prune.commissionLevels || productPruned(ctx, owner.carrier, owner.product), path: pathOf`/v1/customers/commissionLevels/${live.id}`, dependsOn });
  }
}

export const commissionLevelKind: KindModule = {
  kind: 'commissionLevel',
  title: 'Commission levels',
  key: { parts: ['carrier', 'product', 'commissionLevel'] },
  noun: 'commission level',
  liveObjects: (live) => live.levels,
  fields: FIELDS,
  plan(ctx) {
    for (const l of ctx.desired.levels) {
      const productKey = keys.product(l.carrier, l.product);
      const productAddress = addressKey({ kind: 'product', key: productKey });
      const live = ctx.index.levelByKey.get(keys.level(l.carrier, l.product, l.name));
      const { view, body } = declaredWrite(FIELDS, l.fields, ctx, l.fieldSources, { name: l.name });
      const product = idOrRef(ctx.index.productByKey.get(productKey)?.id, productAddress);
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
