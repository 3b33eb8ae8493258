import { error } from './diagnostics.js';
import type { DesiredState } from './desired.js';
import { describeObject, keyOfParts, liveObjectsOf, type KindModule } from './kind.js';
import type { LiveSnapshot, RawObject } from './live.js';
import { addressKey, type AddressKey, type Diagnostic, type KindName } from './types.js';
import { duplicateKey } from './address.js';

/**
 * Live objects by natural key, and ids back to names: how live state enters name-space. Each kind
 * says how (its `index`: the key parts of a live object, its parents' found here by id), in
 * registry order, so parents are indexed before their children.
 */
export class LiveIndex {
  private readonly byKind = new Map<KindName, Map<string, RawObject[]>>();
  private readonly partsById = new Map<KindName, Map<string, readonly string[]>>();
  /**
   * Every live object of a key that exists more than once in a kind whose names the API does not
   * keep unique (carriers, products, levels), by address key (`product.Acme/Term`). A declared key
   * found here is ambiguous: the planner reports it and never picks one.
   */
  readonly duplicates = new Map<AddressKey, RawObject[]>();
  /** The key of every live object by id: its natural key, with `#2`, `#3` for the second and later duplicates. */
  readonly keyById = new Map<string, string>();

  constructor(live: LiveSnapshot, kinds: readonly KindModule[]) {
    for (const kind of kinds) {
      if (!kind.index) continue;
      const map = new Map<string, RawObject[]>();
      const parts = new Map<string, readonly string[]>();
      this.byKind.set(kind.kind, map);
      this.partsById.set(kind.kind, parts);
      for (const o of liveObjectsOf(kind, live)) this.add(kind, map, parts, o);
    }
  }

  private add(kind: KindModule, map: Map<string, RawObject[]>, partsById: Map<string, readonly string[]>, o: RawObject): void {
    const parts = kind.index!.parts(o, (parent, id) => this.parts(parent, id));
    if (!parts) return;
    const key = keyOfParts(kind, parts);
    partsById.set(o.id, parts);
    const all = map.get(key);
    if (!all) {
      map.set(key, [o]);
      this.keyById.set(o.id, key);
      return;
    }
    all.push(o);
    this.keyById.set(o.id, duplicateKey(key, all.length));
    if (kind.index!.duplicates === 'ambiguous') this.duplicates.set(addressKey({ kind: kind.kind, key }), all);
  }

  /** The live object at a key (the first, when the key is held more than once). */
  get(kind: KindName, key: string): RawObject | undefined {
    return this.byKind.get(kind)?.get(key)?.[0];
  }

  /** Every live object at a key: more than one are duplicates. */
  all(kind: KindName, key: string): readonly RawObject[] | undefined {
    return this.byKind.get(kind)?.get(key);
  }

  /** The names that make the key of the live object of `kind` with this id (`[carrier, product]` for a product). */
  parts(kind: KindName, id: unknown): readonly string[] | undefined {
    return this.partsById.get(kind)?.get(String(id));
  }

  /** Every key of the kind with its live objects, in listing order. */
  entries(kind: KindName): IterableIterator<[string, readonly RawObject[]]> {
    return (this.byKind.get(kind) ?? new Map<string, RawObject[]>()).entries();
  }
}

/**
 * Declared keys that match more than one live object: an error naming every id and where it
 * lives. Which one downline would manage would depend on list order, so it manages none: the plan
 * fails and apply writes nothing until the account is cleaned up.
 */
export function ambiguousDeclarations(desired: DesiredState, index: LiveIndex, kinds: readonly KindModule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of kinds) {
    const spec = kind.index;
    if (spec?.duplicates !== 'ambiguous' || !kind.declaredParts) continue;
    for (const entry of desired.entries[kind.kind] ?? []) {
      const parts = kind.declaredParts(entry);
      const address = addressKey({ kind: kind.kind, key: keyOfParts(kind, parts) });
      const live = index.duplicates.get(address);
      if (!live) continue;
      const where = live.map((o) => `${o.id}${spec.parent ? ` (in ${spec.parent.noun} ${String(o[spec.parent.field])})` : ''}`).join(', ');
      out.push({
        ...error(`${describeObject(kind, parts)} exists ${live.length} times in the live account: ${where}; downline will not pick one`, entry.source,
          `delete or rename all but one in AgentSync (move what is under the others first), then plan again`),
        address,
      });
    }
  }
  return out;
}
