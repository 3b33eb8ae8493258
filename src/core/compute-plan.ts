import type { KindContext, KindModule } from './kind.js';
import type { DesiredState } from './desired.js';
import { ambiguousDeclarations, LiveIndex } from './live-index.js';
import type { LiveSnapshot } from './live.js';
import { Lookups } from './lookups.js';
import { dueAddresses, splitScheduled } from './schedule.js';
import { isTerminal } from './statuses.js';
import { resolveTargets } from './targets.js';
import { addressKey, type Action, type Change, type Plan, type View } from './types.js';

export interface PlanOptions {
  /** Limit the plan to these addresses (`kind.key`) and what they depend on. */
  targets?: string[];
  /** The same config at a git base: fields the API does not read back are compared with it. */
  since?: { ref: string; state: DesiredState };
  /** Write every declared field the API does not read back. */
  pushUnverified?: boolean;
  /**
   * The reference date YYYY-MM-DD (UTC) for `effective:` and `until:` (SPEC §12). The commands pass
   * today or `--as-of`; left out, it is today.
   */
  asOf?: string;
  /** Only the changes that came due (dated entries on or before asOf) and what they depend on. */
  onlyDue?: boolean;
}

/**
 * The pure heart of downline: desired state + live snapshot → the Plan that `plan` prints and
 * `apply` executes. No I/O; the same inputs always give the same plan.
 */
export function computePlan(desired: DesiredState, live: LiveSnapshot, kinds: readonly KindModule[], options: PlanOptions = {}): Plan {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const ctx: KindContext = {
    desired,
    live,
    index: new LiveIndex(live, kinds),
    lookups: new Lookups(live.lookups),
    diagnostics: [],
    changes: [],
    unmanaged: [],
    uncomparable: [],
    unverified: { push: Boolean(options.pushUnverified), ...(options.since ? { base: { ref: options.since.ref, views: baseViews(options.since.state, live, kinds, asOf) } } : {}) },
    asOf,
    scheduled: [],
  };
  for (const kind of kinds) kind.plan(ctx);
  ctx.diagnostics.push(...ambiguousDeclarations(desired, ctx.index, kinds));
  const split = splitScheduled(ctx.changes, desired, asOf);
  const asked = options.targets?.length ? resolveTargets(options.targets, split.changes.map((c) => addressKey(c.address))) : { keys: [], diagnostics: [] };
  ctx.diagnostics.push(...asked.diagnostics);
  const due = options.onlyDue ? dueAddresses(split.changes, desired, asOf) : [];
  const targets = [...asked.keys, ...due];
  const scheduled = [...split.scheduled, ...ctx.scheduled];
  const base = { uncomparable: ctx.uncomparable, diagnostics: ctx.diagnostics };
  if (options.targets?.length) {
    return { ...base, changes: withDependencies(split.changes, targets), scheduled: scheduled.filter((s) => targets.includes(addressKey(s.address))), unmanaged: [] };
  }
  if (options.onlyDue) return { ...base, ...onlyDue(split.changes, due), scheduled, unmanaged: ctx.unmanaged };
  return { ...base, changes: split.changes, scheduled, unmanaged: ctx.unmanaged };
}

/**
 * `--only-due` leaves out the operations that are not due and says how many (`notDue`); what is no
 * operation stays — unchanged objects (and what they leave unverified), scheduled and unmanaged
 * ones — so no count and no "matches" in the plan is wrong for being left out.
 */
function onlyDue(changes: Change[], due: string[]): Pick<Plan, 'changes' | 'notDue'> {
  // A due change brings along only the creates it needs (their ids): a parent's undated update is drift, not due.
  const kept = new Set(withDependencies(changes, due, (c) => c.action === 'create').map((c) => addressKey(c.address)));
  const left = changes.filter((c) => c.action !== 'noop' && !kept.has(addressKey(c.address))).length;
  return { changes: changes.filter((c) => c.action === 'noop' || kept.has(addressKey(c.address))), notDue: left };
}

/**
 * The desired view of every object at the base, resolved exactly as now (same kinds, same lookups),
 * so a base value and a current value compare like for like.
 */
function baseViews(state: DesiredState, live: LiveSnapshot, kinds: readonly KindModule[], asOf: string): Map<string, View> {
  const plan = computePlan(state, live, kinds, { asOf });
  const scheduled = (plan.scheduled ?? []).filter((s) => s.reason === 'effective');
  return new Map([...plan.changes, ...scheduled].filter((c) => c.after !== null).map((c) => [addressKey(c.address), c.after!]));
}

function withDependencies(changes: Change[], targets: string[], needed: (dependency: Change) => boolean = () => true): Change[] {
  const byKey = new Map(changes.map((c) => [addressKey(c.address), c]));
  const keep = new Set<string>();
  const visit = (key: string, target: boolean) => {
    if (keep.has(key) || !byKey.has(key) || (!target && !needed(byKey.get(key)!))) return;
    keep.add(key);
    for (const dep of byKey.get(key)!.dependsOn) visit(dep, false);
  };
  for (const target of targets) visit(target, true);
  return changes.filter((c) => keep.has(addressKey(c.address)));
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  /** Contract assignments ended by a PUT (SPEC §11). */
  terminate: number;
  /** Changes waiting for their `effective:` / `until:` date: listed, never executed (SPEC §12). */
  scheduled: number;
  noop: number;
  unmanaged: number;
  /** Objects with declared fields the API does not read back and the plan does not write. */
  unverified: number;
  /** `--only-due` only: changes left out because their date has not come (or they have none). */
  notDue?: number;
}

export function summarize(plan: Plan): PlanSummary {
  const { actions, unverified } = census(plan);
  return { create: actions.create, update: actions.update, delete: actions.delete, terminate: actions.terminate, scheduled: plan.scheduled?.length ?? 0, noop: actions.noop, unmanaged: plan.unmanaged.length, unverified,
    ...(plan.notDue !== undefined ? { notDue: plan.notDue } : {}) };
}

export function hasChanges(plan: Plan): boolean {
  return Object.entries(census(plan).actions).some(([action, n]) => action !== 'noop' && n > 0);
}

/**
 * Every count a summary, a guard rail or a rendering needs, from ONE walk over the changes (a
 * 100,000-producer plan was scanned ~16 times). A new action or count is one line in `zero` and
 * one in the loop.
 */
export interface PlanCensus {
  actions: Record<Action, number>;
  /** Per kind present in the plan: changes per action, and live objects in scope (changes against a live object, plus the unmanaged). */
  kinds: { [kind: string]: KindCensus };
  /** Changes with declared fields the API does not read back. */
  unverified: number;
  /** Unchanged contract assignments whose live status moved on from the declared one (not one the config itself ends). */
  progressed: number;
}

export interface KindCensus { actions: Record<Action, number>; live: number }

const zero = (): Record<Action, number> => ({ create: 0, update: 0, delete: 0, terminate: 0, noop: 0 });
const kindCensus = (): KindCensus => ({ actions: zero(), live: 0 });

// Plans are not mutated once computed; the census is remembered per plan (and re-counted if its lists were swapped or grew).
const censuses = new WeakMap<Pick<Plan, 'changes' | 'unmanaged'>, { changes: readonly Change[]; length: number; unmanaged: Plan['unmanaged']; census: PlanCensus }>();

export function census(plan: Pick<Plan, 'changes' | 'unmanaged'>): PlanCensus {
  const known = censuses.get(plan);
  if (known && known.changes === plan.changes && known.length === plan.changes.length && known.unmanaged === plan.unmanaged) return known.census;
  const kinds: PlanCensus['kinds'] = {};
  const result: PlanCensus = { actions: zero(), kinds, unverified: 0, progressed: 0 };
  for (const c of plan.changes) {
    const kind = (kinds[c.address.kind] ??= kindCensus());
    result.actions[c.action] += 1;
    kind.actions[c.action] += 1;
    if (c.liveId !== null) kind.live += 1;
    if (c.unverified?.length) result.unverified += 1;
    if (c.action === 'noop' && c.address.kind === 'assignment' && c.notes.length > 0 && !endedAsDeclared(c)) result.progressed += 1;
  }
  for (const u of plan.unmanaged) (kinds[u.address.kind] ??= kindCensus()).live += 1;
  censuses.set(plan, { changes: plan.changes, length: plan.changes.length, unmanaged: plan.unmanaged, census: result });
  return result;
}

/** An ending the config asks for (terminal status, `until:`) that already holds: terminal before and after, nothing moved on. */
function endedAsDeclared(c: Change): boolean {
  const status = c.after?.status;
  return typeof status === 'string' && isTerminal(status) && status === c.before?.status;
}
