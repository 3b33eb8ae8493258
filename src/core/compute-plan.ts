import type { KindContext, KindModule } from '../kinds/kind.js';
import type { DesiredState } from './desired.js';
import { ambiguousDeclarations, LiveIndex } from './live-index.js';
import type { LiveSnapshot } from './live.js';
import { error } from './diagnostics.js';
import { Lookups } from './lookups.js';
import { nearest } from './suggest.js';
import { addressKey, type Change, type Plan, type View } from './types.js';

export interface PlanOptions {
  /** Limit the plan to these addresses (`kind.key`) and what they depend on. */
  targets?: string[];
  /** The same config at a git base: fields the API does not read back are compared with it. */
  since?: { ref: string; state: DesiredState };
  /** Write every declared field the API does not read back. */
  pushUnverified?: boolean;
}

/**
 * The pure heart of downline: desired state + live snapshot → the Plan that `plan` prints and
 * `apply` executes. No I/O; the same inputs always give the same plan.
 */
export function computePlan(desired: DesiredState, live: LiveSnapshot, kinds: readonly KindModule[], options: PlanOptions = {}): Plan {
  const ctx: KindContext = {
    desired,
    live,
    index: new LiveIndex(live),
    lookups: new Lookups(live.lookups),
    diagnostics: [],
    changes: [],
    unmanaged: [],
    uncomparable: [],
    unverified: { push: Boolean(options.pushUnverified), ...(options.since ? { base: { ref: options.since.ref, views: baseViews(options.since.state, live, kinds) } } : {}) },
  };
  for (const kind of kinds) kind.plan(ctx);
  ctx.diagnostics.push(...ambiguousDeclarations(desired, ctx.index));
  if (options.targets?.length) ctx.diagnostics.push(...unknownTargets(ctx.changes, options.targets));
  const changes = options.targets?.length ? withDependencies(ctx.changes, options.targets) : ctx.changes;
  return {
    changes,
    unmanaged: options.targets?.length ? [] : ctx.unmanaged,
    uncomparable: ctx.uncomparable,
    diagnostics: ctx.diagnostics,
  };
}

/**
 * The desired view of every object at the base, resolved exactly as now (same kinds, same lookups),
 * so a base value and a current value compare like for like.
 */
function baseViews(state: DesiredState, live: LiveSnapshot, kinds: readonly KindModule[]): Map<string, View> {
  const plan = computePlan(state, live, kinds);
  return new Map(plan.changes.filter((c) => c.after !== null).map((c) => [addressKey(c.address), c.after!]));
}

/** A target that matches nothing is a typo, not "no changes": name the closest addresses. */
function unknownTargets(changes: Change[], targets: string[]) {
  const known = changes.map((c) => addressKey(c.address));
  const set = new Set(known);
  return targets.filter((t) => !set.has(t)).map((t) => {
    const near = nearest(t, known, 3);
    return error(`--target ${t} matches no object in the config`, undefined,
      near.length ? `closest addresses: ${near.join(', ')} (addresses are kind.key as \`plan --verbose\` shows them)` : 'the config declares no objects');
  });
}

function withDependencies(changes: Change[], targets: string[]): Change[] {
  const byKey = new Map(changes.map((c) => [addressKey(c.address), c]));
  const keep = new Set<string>();
  const visit = (key: string) => {
    if (keep.has(key) || !byKey.has(key)) return;
    keep.add(key);
    for (const dep of byKey.get(key)!.dependsOn) visit(dep);
  };
  for (const target of targets) visit(target);
  return changes.filter((c) => keep.has(addressKey(c.address)));
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
  unmanaged: number;
  /** Objects with declared fields the API does not read back and the plan does not write. */
  unverified: number;
}

export function summarize(plan: Plan): PlanSummary {
  const count = (action: Change['action']) => plan.changes.filter((c) => c.action === action).length;
  return { create: count('create'), update: count('update'), delete: count('delete'), noop: count('noop'), unmanaged: plan.unmanaged.length, unverified: plan.changes.filter((c) => c.unverified?.length).length };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'noop');
}
