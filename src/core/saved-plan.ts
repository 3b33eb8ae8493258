import { canonicalJson } from './fingerprint.js';
import { addressKey, type Address, type Change } from './types.js';

/** One way a saved plan disagrees with the plan the config and the live account give now. */
export interface PlanDifference {
  address: Address;
  identity: Record<string, string>;
  reason: string;
}

/**
 * What makes two changes "the same change": everything apply would do and everything it was
 * computed against. `source` and `notes` are left out: they are where and how it is shown, and
 * `source` depends on the directory the command ran from.
 */
const COMPARED = ['action', 'identity', 'before', 'after', 'fields', 'dependsOn', 'liveId', 'fingerprint', 'operation'] as const;

/** The fresh change as a saved plan would hold it: JSON drops `undefined`, so compare after a round trip. */
const asSaved = (c: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(c)) as Record<string, unknown>;

/**
 * A saved plan is a reviewed artifact, never a program: it may be executed only when the plan
 * derived now, from the same config and the live account, is change for change the same. Every
 * disagreement is named (a change that moved, one that appeared, one that is no longer derived).
 */
export function comparePlans(saved: readonly unknown[], fresh: readonly Change[]): PlanDifference[] {
  const differences: PlanDifference[] = [];
  const savedByKey = new Map<string, Record<string, unknown>>();
  for (const raw of saved) {
    const change = raw as Partial<Change>;
    const key = change.address ? addressKey(change.address) : '';
    if (savedByKey.has(key)) differences.push({ address: change.address!, identity: change.identity ?? {}, reason: 'appears twice in the saved plan' });
    savedByKey.set(key, raw as Record<string, unknown>);
  }
  for (const change of fresh) {
    const key = addressKey(change.address);
    const before = savedByKey.get(key);
    savedByKey.delete(key);
    if (!before) {
      differences.push({ address: change.address, identity: change.identity, reason: `is now planned (${change.action}) but is not in the saved plan` });
      continue;
    }
    const now = asSaved(change);
    const moved = COMPARED.filter((field) => canonicalJson(before[field]) !== canonicalJson(now[field]));
    if (moved.length === 0) continue;
    const reason = before.action !== change.action
      ? `saved as ${String(before.action)}, but the config and the account now give ${change.action}`
      : `differs from the saved plan in ${moved.join(', ')}`;
    differences.push({ address: change.address, identity: change.identity, reason });
  }
  for (const raw of savedByKey.values()) {
    const change = raw as Partial<Change>;
    differences.push({ address: change.address!, identity: change.identity ?? {}, reason: `is in the saved plan (${String(change.action)}) but the config and the account no longer yield it` });
  }
  return differences;
}
