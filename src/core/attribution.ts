/**
 * Drift you can act on (SPEC §14): who changed a drifted contract assignment, and when, from the
 * newest Hierarchies changelog entry of that contract. Pure.
 */
import type { ChangelogEntry } from './hierarchy.js';
import type { LiveSnapshot } from './live.js';
import type { Address, Plan } from './types.js';

/** A drifted contract assignment, as the changelog is read for it. */
export interface DriftedContract {
  address: Address;
  fields: string[];
  /** The carrier id, which the Hierarchies API takes as the organization id. */
  carrierId: string;
  productId: string;
  assignmentId: string;
}

export interface Attribution {
  address: Address;
  /** The drifted fields (level, upline, states, status). */
  fields: string[];
  /** null when the changelog holds no entry for the contract. */
  modifiedByName: string | null;
  modifiedDate: string | null;
}

/** The assignments the plan would update: each one's live id, product and carrier. */
export function driftedContracts(plan: Plan, live: LiveSnapshot): DriftedContract[] {
  const assignments = new Map(live.objects.assignment.map((a) => [a.id, a]));
  const products = new Map(live.objects.product.map((p) => [p.id, p]));
  const out: DriftedContract[] = [];
  for (const change of plan.changes) {
    if (change.address.kind !== 'assignment' || change.action !== 'update' || !change.liveId) continue;
    const raw = assignments.get(change.liveId);
    const product = raw && products.get(String(raw.productId));
    if (!raw || !product) continue;
    out.push({ address: change.address, fields: change.fields.map((f) => f.field), carrierId: String(product.carrierId), productId: product.id, assignmentId: raw.id });
  }
  return out;
}

export function attribute(drifted: readonly DriftedContract[], latest: ReadonlyMap<string, ChangelogEntry>): Attribution[] {
  return drifted.map((d) => {
    const entry = latest.get(d.assignmentId);
    return {
      address: d.address,
      fields: d.fields,
      modifiedByName: entry?.modifiedByName ?? null,
      modifiedDate: entry?.modifiedDate ?? null,
    };
  });
}
