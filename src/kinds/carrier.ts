import { keys } from '../core/desired.js';
import { comparatorsOf, declaredWrite, liveViewOf, type FieldSpec } from '../core/fields.js';
import type { DesiredCarrier } from '../core/desired.js';
import { planObject } from './common.js';
import { lookupListField, STATES, USER_DEFINED_FIELDS } from './fields.js';
import { locateByName } from '../core/find.js';
import { idOf, itemPath, pathOf, type KindModule, type Listing } from '../core/kind.js';

/** A carrier's declared fields: the one list its config, views, writes, comparison and export come from. */
const FIELDS: readonly FieldSpec[] = [
  { name: 'naic', readBack: true }, { name: 'tin', readBack: true }, { name: 'uplineFirmName' },
  lookupListField('linesOfBusiness', 'linesOfBusiness', 'line of business'),
  lookupListField('contractSubmissionMethods', 'contractSubmissionMethods', 'submission method'),
  STATES, ...USER_DEFINED_FIELDS,
];

/** ASSUMPTION (SPEC §8): carriers are listed at /v1/customers/carriers, under `_embedded.carriers`. */
const LISTING: Listing = { path: () => '/v1/customers/carriers', key: 'carriers', item: '/v1/customers/carriers' };

export const carrierKind: KindModule = {
  kind: 'carrier',
  title: 'Carriers',
  key: { parts: ['carrier'] },
  noun: 'carrier',
  fields: FIELDS,
  listing: LISTING,
  index: { parts: (o) => [String(o.name)], duplicates: 'ambiguous' },
  declaredParts: (c) => [(c as DesiredCarrier).name],
  // Every carrier: one list, and the unmanaged ones are shown.
  discover: async (api) => ({ objects: await api.list(LISTING.path(), LISTING.key) }),
  plan(ctx) {
    for (const c of ctx.desired.entries.carrier) {
      const { view, body } = declaredWrite(FIELDS, c.fields, ctx, c.fieldSources, { name: c.name });
      const live = ctx.index.get('carrier', keys.carrier(c.name));
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
        update: () => ({ api: 'agentsync', method: 'PUT', ...itemPath(LISTING, live!.id), body }),
      }));
    }
    const declared = new Set(ctx.desired.entries.carrier.map((c) => c.name));
    for (const live of ctx.live.objects.carrier) {
      if (!declared.has(String(live.name))) ctx.unmanaged.push({ address: { kind: 'carrier', key: keys.carrier(String(live.name)) }, liveId: live.id });
    }
  },
  locate: locateByName,
  createdId: idOf,
  // The API refuses a second carrier of one name: a concurrent writer made it first.
  adoptOn: [422],
};
