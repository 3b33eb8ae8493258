import type { ChangeResult } from './apply-plan.js';
import { emptyDesiredState, keys, type DesiredState } from './desired.js';
import type { LiveIndex } from './live-index.js';
import { addressKey, type Change, type SourceLocation } from './types.js';

/**
 * Two applies at the same moment both see an empty account and both create: nothing in the API
 * stops a second product or level of one name. The defence is an after-check: once the writes are
 * done, the keys this apply created are read again, and a key that now exists more than once was
 * also created by another writer. Of two racing applies at least one sees the other's object
 * (each reads after its own create), so they never both report success over a duplicate.
 */

const NOWHERE: SourceLocation = { file: '', line: 0, column: 0 };

const created = (changes: Change[], results: ChangeResult[]): Change[] => {
  const ok = new Set(results.filter((r) => r.outcome === 'succeeded' && r.action === 'create').map((r) => r.address));
  return changes.filter((c) => c.action === 'create' && ok.has(addressKey(c.address)));
};

/** The part of the account to read again: the carriers, products and producers of what this apply created. */
export function createdScope(changes: Change[], results: ChangeResult[]): DesiredState {
  const scope = emptyDesiredState();
  const carriers = new Set<string>();
  const products = new Map<string, { carrier: string; name: string }>();
  const npns = new Set<string>();
  for (const c of created(changes, results)) {
    const contracts = c.address.kind === 'invite' ? ((c.after?.contracts ?? []) as Array<{ carrier: string; product: string }>) : [c.identity];
    for (const { carrier, product } of contracts) {
      if (carrier !== undefined) carriers.add(carrier);
      if (carrier !== undefined && product !== undefined) products.set(keys.product(carrier, product), { carrier, name: product });
    }
    if (c.identity.npn) npns.add(c.identity.npn);
  }
  const located = { source: NOWHERE, fieldSources: {}, fields: {} };
  scope.entries.carrier = [...carriers].map((name) => ({ name, ...located }));
  scope.entries.product = [...products.values()].map((p) => ({ ...p, ...located }));
  scope.entries.assignment = [...npns].map((npn) => ({ npn, carrier: '', product: '', statusPolicy: 'initial' as const, ...located }));
  return scope;
}

export interface WriterConflict {
  address: string;
  /** Every live id of the key, this apply's first when known. */
  ids: string[];
  ours?: string;
}

/** Keys this apply created that the account now holds more than once. */
export function writerConflicts(changes: Change[], results: ChangeResult[], index: LiveIndex): WriterConflict[] {
  const idOf = new Map(results.map((r) => [r.address, r.id]));
  const out: WriterConflict[] = [];
  for (const c of created(changes, results)) {
    const address = addressKey(c.address);
    const ours = idOf.get(address);
    // An invitation creates contract assignments: those are what another writer may have doubled.
    const [kind, keysToCheck] = c.address.kind === 'invite'
      ? ['assignment', ((c.after?.contracts ?? []) as Array<{ carrier: string; product: string }>).map((k) => keys.assignment(c.identity.npn, k.carrier, k.product))]
      : [c.address.kind, [c.address.key]];
    const ids = keysToCheck.flatMap((k) => {
      const list = index.all(kind, k) ?? [];
      return list.length > 1 ? list.map((o) => o.id) : [];
    });
    if (ids.length < 2) continue;
    const mine = ours && ids.includes(ours) ? ours : undefined;
    out.push({ address, ids: mine ? [mine, ...ids.filter((id) => id !== mine)] : ids, ...(mine ? { ours: mine } : {}) });
  }
  return out;
}

/**
 * The conflicts as failed results. Both racing applies name the same object to keep (the lowest
 * id), so following either report leaves exactly one; what was created under a duplicated parent
 * goes with the duplicate that is deleted, so it names that parent instead of a choice of its own.
 */
export function markConflicts(changes: Change[], results: ChangeResult[], conflicts: WriterConflict[], what: (address: string) => string): ChangeResult[] {
  const byAddress = new Map(conflicts.map((c) => [c.address, c]));
  const dependsOn = new Map(changes.map((c) => [addressKey(c.address), c.dependsOn]));
  return results.map((r) => {
    const conflict = byAddress.get(r.address);
    if (!conflict) return r;
    const head = `another writer created ${what(r.address)} at the same time: it now exists ${conflict.ids.length} times (${conflict.ids.join(', ')}${conflict.ours ? `; this apply created ${conflict.ours}` : ''}). `;
    const parent = dependsOn.get(r.address)?.find((d) => byAddress.has(d));
    if (parent) return { ...r, outcome: 'failed', error: `${head}It is under ${what(parent)}, which was duplicated too: it goes with the duplicate of that one you delete` };
    const keep = [...conflict.ids].sort()[0];
    const remove = conflict.ids.filter((id) => id !== keep);
    return { ...r, outcome: 'failed', error: `${head}Keep ${keep}; delete ${remove.join(', ')} and what was created under ${remove.length > 1 ? 'them' : 'it'}, then run plan again` };
  });
}
