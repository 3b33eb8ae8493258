import { mapLimit } from '../core/concurrency.js';
import type { DriftedContract } from '../core/attribution.js';
import type { ChangelogEntry } from '../core/hierarchy.js';
import type { Api } from './client.js';
import { LIST_PAGE_SIZE } from './http.js';

/**
 * ASSUMPTIONS (README table): the Hierarchies collection keys, and that a changelog is sorted by
 * `sort=modifiedDate,desc` (the documented default) with `contractAssignmentId`, `modifiedByName`
 * and `modifiedDate` on every entry. A carrier id is an organization id.
 */
export const HIERARCHY_KEYS = { productHierarchies: 'decoratedProductHierarchyList', changelog: 'hierarchyChangelogViewList' } as const;
export const CHANGELOG_NEWEST_FIRST = { sort: 'modifiedDate,desc' } as const;

export interface ProductHierarchy { id: string; productId?: string; productName: string; organizationName?: string }

/** The product hierarchies of an organization (every page), or those whose product name contains `productName`. */
export async function productHierarchies(api: Api, orgId: string, productName?: string): Promise<ProductHierarchy[]> {
  const org = encodeURIComponent(orgId);
  const found = productName
    ? await api.list(`/v1/organizations/${org}/productHierarchies/search`, HIERARCHY_KEYS.productHierarchies, { productName })
    : await api.list(`/v1/organizations/${org}/productHierarchies`, HIERARCHY_KEYS.productHierarchies);
  return found as unknown as ProductHierarchy[];
}

/** A whole changelog, newest first. */
export async function changelog(api: Api, hierarchyId: string): Promise<ChangelogEntry[]> {
  return (await api.list(`/v1/productHierarchies/${encodeURIComponent(hierarchyId)}/changelog`, HIERARCHY_KEYS.changelog, CHANGELOG_NEWEST_FIRST)) as unknown as ChangelogEntry[];
}

/**
 * The newest changelog entry of each drifted contract assignment: one product-hierarchy listing per
 * carrier, then each affected product hierarchy's changelog once, newest first, page by page until
 * every contract wanted there has been seen — requests per product hierarchy, never per producer.
 * (The pages are walked here rather than with the list helper because the walk stops early.)
 */
export async function latestEntries(api: Api, drifted: ReadonlyArray<Pick<DriftedContract, 'carrierId' | 'productId' | 'assignmentId'>>, concurrency: number): Promise<Map<string, ChangelogEntry>> {
  const wantedByProduct = new Map<string, Set<string>>();
  for (const d of drifted) wantedByProduct.set(d.productId, (wantedByProduct.get(d.productId) ?? new Set()).add(d.assignmentId));
  const carriers = [...new Set(drifted.map((d) => d.carrierId))];
  const hierarchies = (await mapLimit(carriers, concurrency, (c) => productHierarchies(api, c))).flat().filter((h) => wantedByProduct.has(String(h.productId)));
  const latest = new Map<string, ChangelogEntry>();
  await mapLimit(hierarchies, concurrency, async (h) => {
    const wanted = new Set(wantedByProduct.get(String(h.productId)));
    const path = `/v1/productHierarchies/${encodeURIComponent(h.id)}/changelog`;
    for (let page = 0; wanted.size > 0; page += 1) {
      const body = (await api.agentsync.get(path, { ...CHANGELOG_NEWEST_FIRST, page, size: LIST_PAGE_SIZE })) as { _embedded?: Record<string, ChangelogEntry[]>; page?: { totalPages?: number } };
      for (const entry of body._embedded?.[HIERARCHY_KEYS.changelog] ?? []) {
        const id = String(entry.contractAssignmentId);
        if (wanted.delete(id)) latest.set(id, entry);
      }
      if (page + 1 >= (body.page?.totalPages ?? 0)) break;
    }
  });
  return latest;
}
