import { mapLimit } from '../core/concurrency.js';
import type { ContractTrace } from '../core/live.js';
import type { Plan } from '../core/types.js';
import type { Api } from './client.js';
import { changelog, productHierarchies } from './hierarchies.js';

/**
 * ASSUMPTION (README table): the Hierarchies changelog of a product keeps the entries of a contract
 * assignment after the assignment is deleted, with `producerName` (its keys: `HIERARCHY_KEYS`).
 */

/** Live carrier and product ids the plan's invitations would contract on (new products have no history). */
export function invitedProducts(plan: Plan): Map<string, Set<string>> {
  const byCarrier = new Map<string, Set<string>>();
  for (const change of plan.changes) {
    if (change.address.kind !== 'invite' || change.action !== 'create') continue;
    const body = change.operation?.body as { contractAssignments?: Array<{ toOrganizationId?: unknown; productId?: unknown }> } | undefined;
    for (const c of body?.contractAssignments ?? []) {
      if (typeof c.toOrganizationId !== 'string' || typeof c.productId !== 'string') continue;
      byCarrier.set(c.toOrganizationId, (byCarrier.get(c.toOrganizationId) ?? new Set()).add(c.productId));
    }
  }
  return byCarrier;
}

/**
 * Who held a contract on each product before, from its product hierarchy's changelog: one listing of
 * product hierarchies per carrier, then one changelog (paged) per product. Only products an
 * invitation targets are read, so a plan without invitations to send reads nothing here.
 */
export async function fetchContractHistory(api: Api, wanted: Map<string, Set<string>>, concurrency: number): Promise<Record<string, ContractTrace[]>> {
  const history: Record<string, ContractTrace[]> = {};
  const hierarchies = (await mapLimit([...wanted.keys()], concurrency, (carrierId) => productHierarchies(api, carrierId))).flat();
  const targets = hierarchies.filter((h) => [...wanted.values()].some((ids) => ids.has(String(h.productId))));
  await mapLimit(targets, concurrency, async (h) => {
    const entries = await changelog(api, h.id);
    history[String(h.productId)] = entries.filter((e) => typeof e.producerName === 'string').map((e) => ({
      producerName: String(e.producerName),
      ...(typeof e.contractAssignmentDisplayNumber === 'string' ? { displayNumber: e.contractAssignmentDisplayNumber } : {}),
      ...(typeof e.modifiedDate === 'string' ? { modifiedDate: e.modifiedDate } : {}),
    }));
  });
  return history;
}
