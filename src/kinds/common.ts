import { compareViews, valuesEqual, type Comparator } from '../core/compare.js';
import { keys, prunes, type DesiredState } from '../core/desired.js';
import { create, del, liveRef, noop, update, type ChangeBase } from '../core/change.js';
import type { RawObject } from '../core/live.js';
import { addressKey, type Address, type AddressKey, type Change, type FieldChange, type Operation, type SourceLocation, type View } from '../core/types.js';
import { noteUnreadable, type KindContext } from '../core/kind.js';

/**
 * ASSUMPTION (SPEC §10, §11): the wire fields of an assignment's upline and of its ending — sent on
 * POST (and in an invitation's contracts) and on single and bulk PUT, and read back.
 * `doctor --write-probe` checks them.
 */
export const ASSIGNMENT_LIFECYCLE_FIELDS = { upline: 'uplineNpn', terminationReason: 'terminationReason', endDate: 'endDate' } as const;

export interface ObjectPlan {
  address: Address;
  identity: Record<string, string>;
  desired: View;
  source?: SourceLocation;
  live: RawObject | undefined;
  /** The live object in name-space; fields it does not carry must be absent. */
  liveView?: View;
  comparators: Record<string, Comparator>;
  dependsOn: AddressKey[];
  /** Absent when another kind creates the object (an invitation creates its contracts). */
  create?(): Operation;
  update(changed: string[]): Operation;
  notes?: string[];
}

/** The create / update / noop decision every kind shares: compare in name-space, write in id-space. */
export function planObject(ctx: KindContext, p: ObjectPlan): Change {
  if (!p.live) {
    if (!p.create) throw new Error(`${p.address.kind}.${p.address.key}: no live object and no way to create it`);
    return create({ address: p.address, identity: p.identity, dependsOn: p.dependsOn, notes: p.notes, source: p.source }, p.desired, p.create());
  }
  const liveView = p.liveView ?? {};
  const { fields, unreadable } = compareViews(p.desired, liveView, p.comparators);
  noteUnreadable(ctx, p.address.kind, unreadable);
  const { pushed, unverified } = unreadable.length === 0 ? NOTHING_UNREADABLE : unreadableChanges(ctx, addressKey(p.address), p.desired, unreadable, p.comparators);
  fields.push(...pushed);
  const comparable = comparableView(p.desired, liveView, unreadable);
  const base: ChangeBase = { address: p.address, identity: p.identity, dependsOn: p.dependsOn, notes: p.notes, source: p.source, unverified };
  if (fields.length === 0) return noop(base, liveRef(p.live), comparable, p.desired);
  return update(base, liveRef(p.live), comparable, p.desired, fields, p.update(fields.map((f) => f.field)));
}

const NOTHING_UNREADABLE: { pushed: FieldChange[]; unverified: string[] } = Object.freeze({ pushed: Object.freeze([]) as unknown as FieldChange[], unverified: Object.freeze([]) as unknown as string[] });

/**
 * The live values of the declared fields it carries. When each is the declared value itself (most
 * of a large book), that is the desired view: before and after are then one object, not two equal ones.
 */
function comparableView(desired: View, liveView: View, unreadable: string[]): View {
  let same = unreadable.length === 0;
  for (const k in desired) {
    if (!same) break;
    same = desired[k] === liveView[k];
  }
  if (same) return desired;
  const comparable: View = {};
  for (const k in desired) if (!unreadable.includes(k)) comparable[k] = liveView[k];
  return comparable;
}

/**
 * Declared fields the live object does not carry: written when --push-unverified asks, or when they
 * differ from the config at the --since base (an edit in this change set); otherwise unverified.
 * An object the base did not declare counts as changed: its fields were never written by this config.
 */
function unreadableChanges(ctx: KindContext, key: AddressKey, desired: View, unreadable: string[], comparators: Record<string, Comparator>): { pushed: FieldChange[]; unverified: string[] } {
  const pushed: FieldChange[] = [];
  const unverified: string[] = [];
  const { base, push } = ctx.unverified;
  for (const field of unreadable) {
    const after = desired[field];
    if (push) {
      pushed.push({ field, before: undefined, after, basis: 'not read back by the API; written by --push-unverified' });
      continue;
    }
    const baseView = base?.views.get(key);
    const before = baseView?.[field];
    if (base && (before === undefined || !valuesEqual(after, before, comparators[field] ?? 'exact'))) {
      pushed.push({ field, before, after, basis: `changed since ${base.ref}; the API does not read it back` });
      continue;
    }
    unverified.push(field);
  }
  return { pushed, unverified };
}

/**
 * A live object the config does not declare: listed as unmanaged, or — when pruning covers it — a
 * delete that waits for `dependsOn` (what still uses it) to go first.
 */
export function undeclared(ctx: KindContext, o: { address: Address; identity: Record<string, string>; live: RawObject; before: View; pruned: boolean; path: { path: string; refs: AddressKey[] }; dependsOn?: AddressKey[]; notes?: string[] }): void {
  if (!o.pruned) {
    ctx.unmanaged.push({ address: o.address, liveId: o.live.id });
    return;
  }
  ctx.changes.push(del({ address: o.address, identity: o.identity, dependsOn: o.dependsOn, notes: o.notes }, liveRef(o.live), o.before, { api: 'agentsync', method: 'DELETE', ...o.path }));
}

/** Pruning products takes everything under a product the config no longer declares. */
export function productPruned(ctx: KindContext, carrier: string, product: string): boolean {
  return prunes(ctx.desired.prune, 'product') && !ctx.desired.entries.product.some((p) => p.carrier === carrier && p.name === product);
}

/** Only live objects under carriers the config declares are ever in scope. */
export function carrierDeclared(ctx: KindContext, carrier: string): boolean {
  return ctx.desired.entries.carrier.some((c) => c.name === carrier);
}

/** Where each declared position (npn on a product) is created: its assignment, or the invitation that carries it. */
const creators = new WeakMap<DesiredState, Map<string, AddressKey>>();

/**
 * The change a position must wait for because its upline is created in the same apply (the API
 * refuses an upline that holds no assignment on the product); undefined when the upline is live
 * (or declared nowhere — the hierarchy rules report that).
 */
export function uplineDependency(ctx: KindContext, upline: string | undefined, carrier: string, product: string): AddressKey | undefined {
  if (!upline) return undefined;
  const key = keys.assignment(upline, carrier, product);
  if (ctx.index.get('assignment', key)) return undefined;
  let map = creators.get(ctx.desired);
  if (!map) {
    map = new Map();
    for (const a of ctx.desired.entries.assignment) map.set(keys.assignment(a.npn, a.carrier, a.product), addressKey({ kind: 'assignment', key: keys.assignment(a.npn, a.carrier, a.product) }));
    for (const i of ctx.desired.entries.invite) for (const c of i.contracts) map.set(keys.assignment(i.producer.npn, c.carrier, c.product), addressKey({ kind: 'invite', key: keys.invite(i.producer.npn) }));
    creators.set(ctx.desired, map);
  }
  return map.get(key);
}
