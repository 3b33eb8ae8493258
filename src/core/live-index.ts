import { error } from './diagnostics.js';
import { keys, type DesiredState } from './desired.js';
import type { LiveSnapshot, RawObject } from './live.js';
import { addressKey, type AddressKey, type Diagnostic, type KindName, type SourceLocation } from './types.js';
import { duplicateKey, quotedPath } from './address.js';

/** Live objects by natural key, and ids back to names: how live state enters name-space. */
export class LiveIndex {
  readonly carrierByName = new Map<string, RawObject>();
  readonly carrierNameById = new Map<string, string>();
  readonly productByKey = new Map<string, RawObject>();
  readonly productById = new Map<string, { carrier: string; name: string }>();
  readonly levelByKey = new Map<string, RawObject>();
  readonly levelById = new Map<string, { carrier: string; product: string; name: string }>();
  /** Contract assignments by `npn@carrier/product`; more than one means duplicates exist live. */
  readonly assignmentsByKey = new Map<string, RawObject[]>();
  /**
   * Every live object of a carrier, product or level key that exists more than once (the API does
   * not keep names unique), by address key (`product.Acme/Term`). A declared key found here is
   * ambiguous: the planner reports it and never picks one.
   */
  readonly duplicates = new Map<AddressKey, RawObject[]>();
  /** The address key of every live object by id: its natural key, with `#2`, `#3` for the second and later duplicates. */
  readonly keyById = new Map<string, string>();

  constructor(live: LiveSnapshot) {
    const first = <T extends RawObject>(map: Map<string, T>, kind: KindName, key: string, o: T, mapKey = key) => {
      const found = map.get(mapKey);
      this.keyById.set(o.id, key);
      if (!found) return void map.set(mapKey, o);
      const address = addressKey({ kind, key });
      const all = [...(this.duplicates.get(address) ?? [found]), o];
      this.duplicates.set(address, all);
      this.keyById.set(o.id, duplicateKey(key, all.length));
    };
    for (const c of live.carriers) {
      const name = String(c.name);
      first(this.carrierByName, 'carrier', keys.carrier(name), c, name);
      this.carrierNameById.set(c.id, name);
    }
    for (const p of live.products) {
      const carrier = this.carrierNameById.get(String(p.carrierId));
      if (carrier === undefined) continue;
      first(this.productByKey, 'product', keys.product(carrier, String(p.name)), p);
      this.productById.set(p.id, { carrier, name: String(p.name) });
    }
    for (const l of live.levels) {
      const product = this.productById.get(l.productId);
      if (!product) continue;
      first(this.levelByKey, 'commissionLevel', keys.level(product.carrier, product.name, String(l.name)), l);
      this.levelById.set(l.id, { carrier: product.carrier, product: product.name, name: String(l.name) });
    }
    for (const a of live.assignments) {
      const product = this.productById.get(String(a.productId));
      if (!product) continue;
      const key = keys.assignment(String(a.npn), product.carrier, product.name);
      const list = this.assignmentsByKey.get(key);
      if (list) list.push(a);
      else this.assignmentsByKey.set(key, [a]);
      this.keyById.set(a.id, list ? duplicateKey(key, list.length) : key);
    }
  }
}

const KIND_WORDS: Partial<Record<KindName, { what: string; parent: string; parentField: string }>> = {
  carrier: { what: 'carrier', parent: '', parentField: '' },
  product: { what: 'product', parent: 'carrier', parentField: 'carrierId' },
  commissionLevel: { what: 'commission level', parent: 'product', parentField: 'productId' },
};

/**
 * Declared keys that match more than one live object: an error naming every id and where it
 * lives. Which one downline would manage would depend on list order, so it manages none: the plan
 * fails and apply writes nothing until the account is cleaned up.
 */
export function ambiguousDeclarations(desired: DesiredState, index: LiveIndex): Diagnostic[] {
  const declared: Array<{ kind: KindName; key: string; name: string; source: SourceLocation }> = [
    ...desired.carriers.map((c) => ({ kind: 'carrier' as const, key: keys.carrier(c.name), name: quotedPath([c.name]), source: c.source })),
    ...desired.products.map((p) => ({ kind: 'product' as const, key: keys.product(p.carrier, p.name), name: quotedPath([p.carrier, p.name]), source: p.source })),
    ...desired.levels.map((l) => ({ kind: 'commissionLevel' as const, key: keys.level(l.carrier, l.product, l.name), name: quotedPath([l.carrier, l.product, l.name]), source: l.source })),
  ];
  const out: Diagnostic[] = [];
  for (const d of declared) {
    const address = addressKey({ kind: d.kind, key: d.key });
    const live = index.duplicates.get(address);
    if (!live) continue;
    const words = KIND_WORDS[d.kind]!;
    const where = live.map((o) => `${o.id}${words.parentField ? ` (in ${words.parent} ${String(o[words.parentField])})` : ''}`).join(', ');
    out.push({
      ...error(`${words.what} ${d.name} exists ${live.length} times in the live account: ${where}; downline will not pick one`, d.source,
        `delete or rename all but one in AgentSync (move what is under the others first), then plan again`),
      address,
    });
  }
  return out;
}
