import { decodeKey, quotedPath } from '../core/address.js';
import { census, summarize } from '../core/compute-plan.js';
import { addressKey, type Action, type Change, type KindName, type Plan } from '../core/types.js';
import { visible } from './escape.js';
import { datedCounts } from './plan-dated.js';

export const KIND_ORDER: KindName[] = ['carrier', 'product', 'commissionLevel', 'assignment', 'invite', 'turrisInvite'];

export const KIND_TITLES: Record<KindName, string> = {
  carrier: 'Carriers', product: 'Products', commissionLevel: 'Commission levels', assignment: 'Contract assignments', invite: 'Invitations', turrisInvite: 'Turris invitations',
};

/** How an object is named in every output: its natural key in words (live names, so escaped). */
export function label(change: Pick<Change, 'address' | 'identity'>): string {
  return visible(rawLabel(change));
}

function rawLabel(change: Pick<Change, 'address' | 'identity'>): string {
  const i = change.identity;
  switch (change.address.kind) {
    case 'carrier': return `carrier ${quotedPath([i.carrier])}`;
    case 'product': return `product ${quotedPath([i.carrier, i.product])}`;
    case 'commissionLevel': return `commission level ${quotedPath([i.carrier, i.product, i.commissionLevel])}`;
    case 'assignment': return `assignment of ${i.npn} on ${quotedPath([i.carrier, i.product])}`;
    case 'invite': return `invitation of ${i.npn}`;
    case 'turrisInvite': return `Turris invitation "${i.key}"`;
  }
}

/** For unmanaged objects, which carry only an address. */
export function addressLabel(address: Change['address']): string {
  return visible(rawAddressLabel(address));
}

function rawAddressLabel(address: Change['address']): string {
  const parts = decodeKey(address.key) ?? [address.key];
  // Beyond the identity's parts, a key carries the ordinal of a live duplicate.
  const path = (from: number, to: number) => quotedPath(parts.slice(from, to), parts.length > to ? `#${parts[to]}` : '');
  switch (address.kind) {
    case 'carrier': return `carrier ${path(0, 1)}`;
    case 'product': return `product ${path(0, 2)}`;
    case 'commissionLevel': return `commission level ${path(0, 3)}`;
    case 'assignment': return `assignment of ${parts[0]} on ${path(1, 3)}`;
    case 'invite': return `invitation of ${parts[0]}`;
    case 'turrisInvite': return `Turris invitation "${parts[0]}"`;
  }
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

/** Said wherever a plan would otherwise claim the account matches the config. */
export function unverifiedSentence(count: number): string {
  return `${count} object(s) declare fields the API does not read back: downline cannot tell whether the live account holds those values. `
    + 'Plan with --since <git base> to write the ones edited since, or --push-unverified to write them all.';
}

/** Instead of a summary when the plan has errors: nothing of it can be applied. */
export function failedLine(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  return `Plan failed: ${errors} error${errors === 1 ? '' : 's'}. Nothing can be applied; fix ${errors === 1 ? 'it' : 'them'} and run plan again.`;
}

/** The changes to show, grouped in KIND_ORDER (one walk; without verbose, unchanged objects are left out). */
export function byKind(plan: Plan, verbose: boolean): Array<{ kind: KindName; changes: Change[] }> {
  const groups = new Map<KindName, Change[]>(KIND_ORDER.map((kind) => [kind, []]));
  for (const c of plan.changes) if (verbose || c.action !== 'noop') groups.get(c.address.kind)?.push(c);
  return KIND_ORDER.map((kind) => ({ kind, changes: groups.get(kind)! })).filter((g) => g.changes.length > 0);
}
