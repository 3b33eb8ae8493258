import type { ApiPort } from '../core/ports.js';

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
