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

interface Seen { carrier: string; product: string; position: PlannedPosition }

/** Every position the plan speaks about, with its change if it has one. */
function positionsOf(plan: Plan): Seen[] {
  const out: Seen[] = [];
  for (const c of plan.changes) {
    if (c.address.kind === 'assignment') {
      const { npn, carrier, product } = c.identity;
      out.push({ carrier, product, position: assignmentPosition(c, npn) });
    } else if (c.address.kind === 'invite' && c.action === 'create') {
      for (const contract of (c.after?.contracts ?? []) as Array<Record<string, Value>>) {
        out.push({ carrier: String(contract.carrier), product: String(contract.product),
          position: { npn: c.identity.npn, upline: upline(contract.upline), level: text(contract.commissionLevel), change: 'new' } });
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

/**
 * Products with at least one position change, each with its whole planned tree. A product where
 * nobody has an upline, before or after, has no hierarchy to show (a flat book stays quiet).
 */
export function productTrees(plan: Plan): ProductTree[] {
  const byProduct = new Map<string, ProductTree>();
  for (const { carrier, product, position } of positionsOf(plan)) {
    const key = JSON.stringify([carrier, product]);
    let tree = byProduct.get(key);
    if (!tree) byProduct.set(key, (tree = { carrier, product, positions: [], changes: [] }));
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
  const layered = (t: ProductTree) => t.positions.some((p) => p.upline !== null || (p.previousUpline ?? null) !== null);
  return [...byProduct.values()].filter((t) => t.changes.length > 0 && layered(t))
    .sort((a, b) => a.carrier.localeCompare(b.carrier) || a.product.localeCompare(b.product))
    .map((t) => ({ ...t, changes: t.changes.sort((x, y) => order[x.change] - order[y.change] || x.npn.localeCompare(y.npn)) }));
}

/** The JSON plan's `hierarchy` array. */
export function hierarchyChanges(plan: Plan): PositionChange[] {
  return productTrees(plan).flatMap((t) => t.changes);
}
