import { ApiError } from './errors.js';

/**
 * ASSUMPTION (SPEC §8, the pagination page): a list answers a HAL page — `page` with `size`,
 * `totalElements`, `totalPages` and the 0-based `number`; items under `_embedded.<key>`, and no
 * `_embedded` at all when the page is empty; `_links.next` when there is a next page. One place
 * checks that shape: an answer that does not have it is an error, never "no objects".
 */
export interface HalPage<T> {
  items: T[];
  number: number;
  size: number;
  totalElements: number;
  totalPages: number;
  /** The `page` query parameter of `_links.next`, null when there is no next link, undefined without `_links`. */
  nextPage: number | null | undefined;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Read one page of a listing, or throw an ApiError naming the call and what is wrong with the answer. */
export function readHalPage<T>(body: unknown, key: string, call: { method: string; path: string }): HalPage<T> {
  const bad = (what: string) => new ApiError(call.method, call.path, 200, [`the answer is not a HAL page of "${key}": ${what}`]);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad(body === '' || body === undefined ? 'empty body' : `got ${describe(body)}`);
  const b = body as { page?: Record<string, unknown>; _embedded?: unknown; _links?: unknown };
  const page = b.page;
  if (!page || typeof page !== 'object' || !count(page.number) || !count(page.size) || !count(page.totalElements) || !count(page.totalPages)) {
    throw bad(`no page metadata (size, totalElements, totalPages, number)${keysOf(b)}`);
  }
  let items: T[] = [];
  if (b._embedded !== undefined) {
    const embedded = b._embedded as Record<string, unknown>;
    if (!embedded || typeof embedded !== 'object' || !Array.isArray(embedded[key])) throw bad(`_embedded has no "${key}" list${keysOf(embedded ?? {})}`);
    items = embedded[key] as T[];
  }
  if (items.length > page.size) throw bad(`${items.length} items on a page of size ${page.size}`);
  // The totals must agree with each other before anything is sized by them.
  if (page.size > 0 && page.totalPages !== Math.ceil(page.totalElements / page.size)) {
    throw bad(`page metadata disagree: ${page.totalElements} items in pages of ${page.size} is not ${page.totalPages} pages`);
  }
  return { items, number: page.number, size: page.size, totalElements: page.totalElements, totalPages: page.totalPages, nextPage: nextPageOf(b._links) };
}

function nextPageOf(links: unknown): number | null | undefined {
  if (!links || typeof links !== 'object') return undefined;
  const href = (links as { next?: { href?: unknown } }).next?.href;
  if (typeof href !== 'string') return null;
  const page = new URL(href, 'http://relative.invalid').searchParams.get('page');
  return page === null ? Number.NaN : Number(page);
}

/**
 * Check a later page against the first one: its number is the one asked for, the totals have not
 * moved, `_links.next` (when the server sends links) points at the following page and only there.
 * Any disagreement is an error: guessing would read pages twice or lose the tail.
 */
export function checkPage(page: HalPage<unknown>, first: HalPage<unknown>, asked: number, call: { method: string; path: string }): void {
  const bad = (what: string) => new ApiError(call.method, call.path, 200, [`inconsistent pagination: ${what}; nothing was assumed — run again, or report the API's behaviour`]);
  if (page.number !== asked) throw bad(`asked for page ${asked}, got page ${page.number} (the server ignores ?page=)`);
  if (page.totalElements !== first.totalElements || page.totalPages !== first.totalPages) {
    throw bad(`page ${asked} reports ${page.totalElements} items in ${page.totalPages} pages, page 0 reported ${first.totalElements} in ${first.totalPages} (the listing changed while it was read)`);
  }
  const last = asked + 1 >= page.totalPages;
  if (page.nextPage !== undefined) {
    if (last && page.nextPage !== null) throw bad(`page ${asked} of ${page.totalPages} links a next page`);
    if (!last && page.nextPage !== asked + 1) throw bad(`page ${asked} of ${page.totalPages} links ${page.nextPage === null ? 'no next page' : `page ${page.nextPage}`} as next`);
  }
}

function describe(body: unknown): string {
  if (typeof body === 'string') return `text "${body.slice(0, 60)}"`;
  if (Array.isArray(body)) return 'a JSON array';
  return typeof body;
}

function keysOf(o: object): string {
  const keys = Object.keys(o).slice(0, 6);
  return keys.length ? ` (keys: ${keys.join(', ')})` : '';
}
