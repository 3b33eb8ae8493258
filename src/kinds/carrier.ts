import { keys } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import { planObject } from './common.js';
import { lookupListField, STATES, USER_DEFINED_FIELDS } from './fields.js';
import { findCarrierId } from './find.js';
import { idOf, pathOf, type KindModule } from '../core/kind.js';

/** A carrier's declared fields: the one list its config, views, writes, comparison and export come from. */
const FIELDS: readonly FieldSpec[] = [
  { name: 'naic', readBack: true }, { name: 'tin', readBack: true }, { name: 'uplineFirmName' },
  lookupListField('linesOfBusiness', 'linesOfBusiness', 'line of business'),
  lookupListField('contractSubmissionMethods', 'contractSubmissionMethods', 'submission method'),
  STATES, ...USER_DEFINED_FIELDS,
];

export const carrierKind: KindModule = {
  kind: 'carrier',
  title: 'Carriers',
  key: { parts: ['carrier'] },
  noun: 'carrier',
  fields: FIELDS,
  liveObjects: (live) => live.carriers,
  plan(ctx) {
    for (const c of ctx.desired.carriers) {
      const { view, body } = declaredWrite(FIELDS, c.fields, ctx, c.fieldSources, { name: c.name });
      const live = ctx.index.carrierByName.get(c.name);
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'carrier', key: keys.carrier(c.name) },
        identity: { carrier: c.name },
        desired: view,
        source: c.source,
        live,
        liveView: live && liveViewOf(FIELDS, live, ctx.lookups),
        comparators: comparatorsOf(FIELDS),
        dependsOn: [],
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/carriers`, body }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...pathOf`/v1/customers/carriers/${live!.id}`, body }),
      }));
    }
    const declared = new Set(ctx.desired.carriers.map((c) => c.name));
    for (const live of ctx.live.carriers) {
      if (!declared.has(String(live.name))) ctx.unmanaged.push({ address: { kind: 'carrier', key: keys.carrier(String(live.name)) }, liveId: live.id });
    }
  },
  async locate(change, api) {
    return findCarrierId(api, change.identity.carrier);
  },
  createdId: idOf,
  // The API refuses a second carrier of one name: a concurrent writer made it first.
  adoptOn: [422],
};

