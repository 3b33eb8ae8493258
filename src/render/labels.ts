import { decodeKey } from '../core/address.js';
import { census, summarize } from '../core/compute-plan.js';
import { describeObject } from '../core/kind.js';
import { addressKey, type Action, type Change, type KindName, type Plan } from '../core/types.js';
import { KINDS, kindOf } from '../kinds/index.js';
import { visible } from './escape.js';
import { datedCounts } from './plan-dated.js';

/** Kinds in registry order: the order of every grouped output. */
export const kindOrder = (): KindName[] => KINDS.map((k) => k.kind);

/** The heading of a kind's group (`Carriers`). */
export const kindTitle = (kind: KindName): string => kindOf(kind).title;

/** `1 product`, `2 products`: a count of a kind's objects in words. */
export const countOf = (kind: KindName, n: number): string => (n === 1 ? `1 ${kindOf(kind).noun}` : `${n} ${kindTitle(kind).toLowerCase()}`);

/** How an object is named in every output: its natural key in words (live names, so escaped). */
export function label(change: Pick<Change, 'address' | 'identity'>): string {
  const kind = kindOf(change.address.kind);
  return visible(describeObject(kind, kind.key.parts.map((p) => change.identity[p])));
}

/** For unmanaged objects, which carry only an address. */
export function addressLabel(address: Change['address']): string {
  const kind = kindOf(address.kind);
  const parts = decodeKey(address.key) ?? [address.key];
  // Beyond the identity's parts, a key carries the ordinal of a live duplicate.
  const n = kind.key.parts.length;
  return visible(describeObject(kind, parts.slice(0, n), parts.length > n ? `#${parts[n]}` : ''));
}

export const SYMBOLS: Record<Action, string> = { create: '+', update: '~', delete: '-', terminate: 'x', noop: ' ' };

/** For a plan: a change's dependencies that are themselves being created — "under (new) carrier …". */
export function newParentsOf(plan: Plan): (change: Change) => string[] {
  if (census(plan).actions.create === 0) return () => [];
  const creates = new Map<string, Change>();
  for (const c of plan.changes) if (c.action === 'create') creates.set(addressKey(c.address), c);
  return (change) => {
    if (change.action !== 'create') return [];
    // The nearest new parent says enough: a level under a new product implies the rest of the chain.
    return change.dependsOn.filter((d) => creates.has(d)).map((d) => label(creates.get(d)!)).slice(-1);
  };
}

export function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete${datedCounts(plan)}, ${s.unmanaged} unmanaged.`;
}

/** Objects whose declared fields the API does not read back (and this plan does not write). */
export function unverifiedChanges(plan: Plan): Change[] {
  return census(plan).unverified === 0 ? [] : plan.changes.filter((c) => c.unverified?.length);
}

/**
 * Said wherever a plan would otherwise claim the account matches the config. A plan made with
 * `--since REF` already wrote what was edited since REF: the rest is unchanged there.
 */
export function unverifiedSentence(count: number, since?: string): string {
  return `${count} object(s) declare fields the API does not read back: downline cannot tell whether the live account holds those values. `
    + (since !== undefined ? `Unchanged since ${since}, they are not written; --push-unverified writes them all.`
      : 'Plan with --since <git base> to write the ones edited since, or --push-unverified to write them all.');
}

/** Instead of a summary when the plan has errors: nothing of it can be applied. */
export function failedLine(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  return `Plan failed: ${errors} error${errors === 1 ? '' : 's'}. Nothing can be applied; fix ${errors === 1 ? 'it' : 'them'} and run plan again.`;
}

/** The changes to show, grouped in registry order (one walk; without verbose, unchanged objects are left out). */
export function byKind(plan: Plan, verbose: boolean): Array<{ kind: KindName; changes: Change[] }> {
  const order = kindOrder();
  const groups = new Map<KindName, Change[]>(order.map((kind) => [kind, []]));
  for (const c of plan.changes) if (verbose || c.action !== 'noop') groups.get(c.address.kind)?.push(c);
  return order.map((kind) => ({ kind, changes: groups.get(kind)! })).filter((g) => g.changes.length > 0);
}
