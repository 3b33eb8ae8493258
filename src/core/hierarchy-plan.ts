/**
 * A plan's changes read as a hierarchy (SPEC §10): which positions are new, moved, terminated or
 * removed on each product, and the tree each product will have. Derived from the plan's own
 * changes, so the picture and the operations cannot disagree. Pure.
 */
import { isTerminal } from './statuses.js';
import type { Change, Plan, Value } from './types.js';

export type PositionChangeKind = 'new' | 'moved' | 'terminated' | 'removed';

/** One position change; `from` / `to` are upline NPNs (null = a top position, or none after the change). */
export interface PositionChange {
  carrier: string;
  product: string;
  npn: string;
  change: PositionChangeKind;
  from: string | null;
  to: string | null;
}

/** A position on a product after the plan: its upline and, for drawing, its level. */
export interface PlannedPosition {
  npn: string;
  upline: string | null;
  /** Where it sat before a move (or before it ends). */
  previousUpline?: string | null;
  level?: string;
  change?: PositionChangeKind;
}

export interface ProductTree {
  carrier: string;
  product: string;
  positions: PlannedPosition[];
  changes: PositionChange[];
}

const upline = (v: Value | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const text = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * What the plan says about one product, in plan order: positions already built (changes, and new
 * contracts of an invitation), and unchanged assignments as their change — built into positions only
 * if the product has a position change (a large unchanged book builds none).
 */
interface Product { carrier: string; product: string; items: Array<PlannedPosition | Change>; changed: boolean }

/** Every product the plan speaks about, by carrier and product. */
function productsOf(plan: Plan): Product[] {
  const byCarrier = new Map<string, Map<string, Product>>();
  const out: Product[] = [];
  const add = (carrier: string, product: string, item: PlannedPosition | Change, changed: boolean) => {
    let byProduct = byCarrier.get(carrier);
    if (!byProduct) byCarrier.set(carrier, (byProduct = new Map()));
    let p = byProduct.get(product);
    if (!p) out.push((p = { carrier, product, items: [], changed: false })), byProduct.set(product, p);
    p.items.push(item);
    p.changed ||= changed;
  };
  for (const c of plan.changes) {
    if (c.address.kind === 'assignment') {
      const { npn, carrier, product } = c.identity;
      if (c.action === 'noop') add(carrier, product, c, false);
      else {
        const position = assignmentPosition(c, npn);
        add(carrier, product, position, position.change !== undefined);
      }
    } else if (c.address.kind === 'invite' && c.action === 'create') {
      for (const contract of (c.after?.contracts ?? []) as Array<Record<string, Value>>) {
        add(String(contract.carrier), String(contract.product), { npn: c.identity.npn, upline: upline(contract.upline), level: text(contract.commissionLevel), change: 'new' }, true);
      }
    }
  }
  return out;
}

function assignmentPosition(c: Change, npn: string): PlannedPosition {
  const before = c.before ?? {};
  const after = c.after ?? {};
  const level = text(after.commissionLevel) ?? text(before.commissionLevel);
  switch (c.action) {
    case 'create':
      return { npn, upline: upline(after.upline), level, change: 'new' };
    case 'delete':
      return { npn, upline: upline(before.upline), level, change: 'removed' };
    case 'noop':
      return { npn, upline: upline('upline' in after ? after.upline : before.upline), level };
    case 'terminate':
      return { npn, upline: upline('upline' in after ? after.upline : before.upline), level, change: 'terminated' };
    case 'update': {
      const moved = c.fields.find((f) => f.field === 'upline');
      const status = c.fields.find((f) => f.field === 'status');
      const now = moved ? upline(moved.after) : upline('upline' in after ? after.upline : before.upline);
      if (status && isTerminal(text(status.after)) && !isTerminal(text(status.before ?? undefined))) {
        return { npn, upline: now, previousUpline: moved ? upline(moved.before) : now, level, change: 'terminated' };
      }
      if (moved) return { npn, upline: now, previousUpline: upline(moved.before), level, change: 'moved' };
      return { npn, upline: now, level };
    }
  }
}

const order: Record<PositionChangeKind, number> = { new: 0, moved: 1, terminated: 2, removed: 3 };

// Plans are not mutated once computed: the trees are derived once per plan (the text and JSON plans both show them).
const known = new WeakMap<Plan, { changes: readonly Change[]; length: number; trees: ProductTree[] }>();

/**
 * Products with at least one position change, each with its whole planned tree. A product where
 * nobody has an upline, before or after, has no hierarchy to show (a flat book stays quiet).
 */
export function productTrees(plan: Plan): ProductTree[] {
  const memo = known.get(plan);
  if (memo && memo.changes === plan.changes && memo.length === plan.changes.length) return memo.trees;
  const trees: ProductTree[] = [];
  for (const { carrier, product, items, changed } of productsOf(plan)) {
    if (!changed) continue;
    const tree: ProductTree = { carrier, product, positions: [], changes: [] };
    for (const item of items) {
      const position = 'address' in item ? assignmentPosition(item, item.identity.npn) : item;
      tree.positions.push(position);
      if (position.change) {
        const ends = position.change === 'terminated' || position.change === 'removed';
        tree.changes.push({
          carrier, product, npn: position.npn, change: position.change,
          from: position.change === 'new' ? null : ends ? position.previousUpline ?? position.upline : position.previousUpline ?? null,
          to: ends ? null : position.upline,
        });
      }
    }
    trees.push(tree);
  }
  const layered = (t: ProductTree) => t.positions.some((p) => p.upline !== null || (p.previousUpline ?? null) !== null);
  const result = trees.filter(layered)
    .sort((a, b) => a.carrier.localeCompare(b.carrier) || a.product.localeCompare(b.product))
    .map((t) => ({ ...t, changes: t.changes.sort((x, y) => order[x.change] - order[y.change] || x.npn.localeCompare(y.npn)) }));
  known.set(plan, { changes: plan.changes, length: plan.changes.length, trees: result });
  return result;
}

/** The JSON plan's `hierarchy` array. */
export function hierarchyChanges(plan: Plan): PositionChange[] {
  return productTrees(plan).flatMap((t) => t.changes);
}
