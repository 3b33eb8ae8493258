import { addressKey, type Change } from './types.js';

/** Bulk endpoints accept a bounded number of items; 100 keeps bodies small. */
const BATCH_LIMIT = 100;

/**
 * Schedule: the changes that write, level by level (a level waits for the one before it), each
 * level as groups sent concurrently. Changes that share a batch key form one group (at most
 * BATCH_LIMIT), sent as one bulk request; every other change is a group of its own.
 */
export function schedule(changes: Change[]): Change[][][] {
  return levels(changes).map(groups);
}

/** Depth in the dependency graph of the changes that write: 0 for no pending dependency. */
function levels(changes: Change[]): Change[][] {
  const byKey = new Map(changes.map((c) => [addressKey(c.address), c]));
  const depth = new Map<string, number>();
  const visit = (c: Change, trail: Set<string>): number => {
    const key = addressKey(c.address);
    if (depth.has(key)) return depth.get(key)!;
    trail.add(key);
    let d = 0;
    for (const dep of c.dependsOn) {
      const parent = byKey.get(dep);
      if (parent && !trail.has(dep)) d = Math.max(d, visit(parent, trail) + 1);
    }
    trail.delete(key);
    depth.set(key, d);
    return d;
  };
  const out: Change[][] = [];
  for (const c of changes) (out[visit(c, new Set())] ??= []).push(c);
  return out.filter(Boolean);
}

function groups(level: Change[]): Change[][] {
  const byKey = new Map<string, Change[]>();
  for (const change of level) {
    const key = change.operation?.batch?.key ?? `single:${addressKey(change.address)}`;
    const group = byKey.get(key);
    if (group) group.push(change);
    else byKey.set(key, [change]);
  }
  return [...byKey.values()].flatMap((g) => (g.length > 1 ? chunk(g, BATCH_LIMIT) : [g]));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
