import { keys } from '../core/desired.js';
import type { ApiPort } from '../core/ports.js';
import type { IdTable } from '../core/kind.js';
import { addressKey } from '../core/types.js';

/**
 * ASSUMPTION (SPEC §8): where the live objects of the catalog kinds and contract assignments are
 * listed, and the HAL collection key of each list. Discovery (src/api/discover.ts) and the lookups
 * by key below read them here, and nowhere else.
 */
export const LISTS = {
  carriers: { path: () => '/v1/customers/carriers', key: 'carriers' },
  products: { path: (carrierId: string) => `/v1/customers/carriers/${carrierId}/products`, key: 'products' },
  commissionLevels: { path: (productId: string) => `/v1/customers/${productId}/commissionLevels`, key: 'commissionLevels' },
  contractAssignments: { path: () => '/v1/customers/contractAssignments', key: 'contractAssignments' },
} as const;

/**
 * Finding live objects by natural key, for recovery after an ambiguous write and for stale-plan
 * checks. Ids created earlier in the run (the id table) save a listing.
 */
export async function findCarrierId(api: ApiPort, carrier: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(addressKey({ kind: 'carrier', key: keys.carrier(carrier) }));
  if (known) return known;
  const carriers = await api.list(LISTS.carriers.path(), LISTS.carriers.key);
  return carriers.find((c) => c.name === carrier)?.id ?? null;
}

export async function findProductId(api: ApiPort, carrier: string, product: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(addressKey({ kind: 'product', key: keys.product(carrier, product) }));
  if (known) return known;
  const carrierId = await findCarrierId(api, carrier, ids);
  if (!carrierId) return null;
  const products = await api.list(LISTS.products.path(carrierId), LISTS.products.key);
  return products.find((p) => p.name === product)?.id ?? null;
}

export async function findLevelId(api: ApiPort, carrier: string, product: string, level: string, ids?: IdTable): Promise<string | null> {
  const known = ids?.get(addressKey({ kind: 'commissionLevel', key: keys.level(carrier, product, level) }));
  if (known) return known;
  const productId = await findProductId(api, carrier, product, ids);
  if (!productId) return null;
  const levels = await api.list(LISTS.commissionLevels.path(productId), LISTS.commissionLevels.key);
  return levels.find((l) => l.name === level)?.id ?? null;
}

/** Ids of the live assignments of `npn` on the product. */
export async function findAssignmentIds(api: ApiPort, npn: string, carrier: string, product: string, ids?: IdTable): Promise<string[]> {
  const productId = await findProductId(api, carrier, product, ids);
  if (!productId) return [];
  const assignments = await api.list(LISTS.contractAssignments.path(), LISTS.contractAssignments.key, { npn });
  return assignments.filter((a) => a.productId === productId).map((a) => a.id);
}

/**
 * ASSUMPTION (SPEC §8, Turris list endpoints): an answer is `{ data: [...] }`. The reference shows
 * no paging, so none is assumed away either: when an answer carries paging metadata (`meta` or
 * `pagination` with `page` and `totalPages`, and `total` when known) the following pages are asked
 * for with `page=` (counting from the first page's own number), each must be the one asked for,
 * and the count must match `total`. Any other shape is an error, never "no associations".
 */
export async function listTurris(api: ApiPort, path: string, query: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
  const bad = (what: string) => Object.assign(new Error(`GET ${path} → 200: ${what}`), { status: 200, messages: [what] });
  const items: Array<Record<string, unknown>> = [];
  let asked: number | undefined;
  let last = 0;
  let total: number | undefined;
  for (;;) {
    const body = (await api.get('turris', path, asked === undefined ? query : { ...query, page: String(asked) })) as { data?: unknown; meta?: unknown; pagination?: unknown };
    if (!body || typeof body !== 'object' || !Array.isArray(body.data)) throw bad('the answer has no "data" list');
    items.push(...(body.data as Array<Record<string, unknown>>));
    const meta = (body.meta ?? body.pagination) as { page?: unknown; totalPages?: unknown; total?: unknown } | undefined;
    if (!meta || typeof meta !== 'object' || typeof meta.totalPages !== 'number') {
      if (asked !== undefined) throw bad(`inconsistent pagination: page ${asked} has no paging metadata`);
      break;
    }
    const page = Number(meta.page);
    if (!Number.isInteger(page) || (asked !== undefined && page !== asked)) throw bad(`inconsistent pagination: asked for page ${asked ?? 'the first'}, got page ${String(meta.page)}`);
    if (asked === undefined) {
      last = page + meta.totalPages - 1;
      if (typeof meta.total === 'number') total = meta.total;
    }
    if (page >= last) break;
    asked = page + 1;
  }
  if (total !== undefined && items.length !== total) throw bad(`inconsistent pagination: ${items.length} associations read, the API reported ${total}`);
  return items;
}

/**
 * Whether a Turris association is the one an invite is keyed by — checked here, whatever filter
 * the server applied: the producer code, else the contact email wherever the answer carries one.
 */
export function isTurrisMatch(association: Record<string, unknown>, key: { producerCode?: string; email?: string }): boolean {
  if (key.producerCode) return association.producerCode === key.producerCode;
  const emails = [association.email, association.contactEmail, (association.contact as { email?: unknown } | undefined)?.email,
    (association.primaryContact as { email?: unknown } | undefined)?.email, (association.downstreamEntity as { email?: unknown } | undefined)?.email]
    .filter((e): e is string => typeof e === 'string');
  // The documented answer carries no email: then only the server's exact-email filter can tell.
  return emails.length === 0 || emails.some((e) => e.toLowerCase() === key.email?.toLowerCase());
}
