import { keys, type DesiredCarrier } from '../core/desired.js';
import type { RawObject } from '../core/live.js';
import type { Lookups } from '../core/lookups.js';
import type { Value, View } from '../core/types.js';
import { planObject, same, USER_DEFINED, viewOf } from './common.js';
import { findCarrierId } from './find.js';
import { idOf, pathOf, type KindContext, type KindModule } from '../core/kind.js';

const LIST_FIELDS = { linesOfBusiness: 'linesOfBusiness', contractSubmissionMethods: 'contractSubmissionMethods' } as const;

/** Desired fields with lookup names resolved to canonical names, and the wire body with ids. */
function resolve(ctx: KindContext, c: DesiredCarrier): { view: View; body: Record<string, Value> } {
  const view: View = { ...c.fields };
  const body: Record<string, Value> = { name: c.name };
  for (const [field, value] of Object.entries(c.fields)) {
    if (field in LIST_FIELDS) {
      const items = (value as string[]).map((n) => ctx.lookups.resolve(LIST_FIELDS[field as keyof typeof LIST_FIELDS], n, c.fieldSources[field], ctx.diagnostics));
      view[field] = items.map((item, i) => item?.name ?? (value as string[])[i]).sort();
      body[field] = items.filter((i) => i !== undefined).map((i) => i!.id);
    } else {
      body[field] = value;
    }
  }
  return { view, body };
}

const names = (lookups: Lookups) => (ids: unknown) => (Array.isArray(ids) ? ids.map((id) => lookups.nameOf(id) ?? `(unknown id ${String(id)})`).sort() : ids);

function liveView(raw: RawObject, lookups: Lookups): View {
  return viewOf(raw, {
    naic: same, tin: same, uplineFirmName: same, administrativeDivisions: same,
    linesOfBusiness: names(lookups), contractSubmissionMethods: names(lookups),
    ...Object.fromEntries(USER_DEFINED.map((f) => [f, same])),
  });
}

export const carrierKind: KindModule = {
  kind: 'carrier',
  plan(ctx) {
    for (const c of ctx.desired.carriers) {
      const { view, body } = resolve(ctx, c);
      const live = ctx.index.carrierByName.get(c.name);
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'carrier', key: keys.carrier(c.name) },
        identity: { carrier: c.name },
        desired: view,
        source: c.source,
        live,
        liveView: live && liveView(live, ctx.lookups),
        comparators: { administrativeDivisions: 'set', linesOfBusiness: 'set', contractSubmissionMethods: 'set' },
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
};

