import type { ApiPort } from '../core/ports.js';
import type { IdTable } from './kind.js';

/**
 * Finding live objects by natural key, for recovery after an ambiguous write and for stale-plan
 * checks. Ids created earlier in the run (the id table) save a listing.
 */
export async function findCarrierId(api: ApiPort, carrier: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(`carrier.${carrier}`);
  if (known) return known;
  const carriers = await api.list('/v1/customers/carriers', 'carriers');
  return carriers.find((c) => c.name === carrier)?.id ?? null;
}

export async function findProductId(api: ApiPort, carrier: string, product: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(`product.${carrier}/${product}`);
  if (known) return known;
  const carrierId = await findCarrierId(api, carrier, ids);
  if (!carrierId) return null;
  const products = await api.list(`/v1/customers/carriers/${carrierId}/products`, 'products');
  return products.find((p) => p.name === product)?.id ?? null;
}

export async function findLevelId(api: ApiPort, carrier: string, product: string, level: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(`commissionLevel.${carrier}/${product}/${level}`);
  if (known) return known;
  const productId = await findProductId(api, carrier, product, ids);
  if (!productId) return null;
  const levels = await api.list(`/v1/customers/${productId}/commissionLevels`, 'commissionLevels');
  return levels.find((l) => l.name === level)?.id ?? null;
}

/** Ids of the live assignments of `npn` on the product. */
export async function findAssignmentIds(api: ApiPort, npn: string, carrier: string, product: string, ids?: IdTable): Promise<string[]> {
  const productId = await findProductId(api, carrier, product, ids);
  if (!productId) return [];
  const assignments = await api.list('/v1/customers/contractAssignments', 'contractAssignments', { npn });
  return assignments.filter((a) => a.productId === productId).map((a) => a.id);
}
