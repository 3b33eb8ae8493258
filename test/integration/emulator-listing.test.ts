/**
 * The emulator's contract-assignment listing over a 100,000-assignment account: every page is the
 * right slice of one stable order, the totals agree, the NPN filter answers from its index, and a
 * deletion keeps the order of the rest. (Correctness only: speed is measured by `npm run bench`.)
 */
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/emulator/store.js';
import { call, token, useSandbox } from '../helpers/emulator.js';

const sandbox = useSandbox();
const N = 100_000;
const npnOf = (i: number) => String(30_000_000 + Math.floor(i / 2));

/** Seeds N assignments (two per producer, on two products) straight into the store. */
function seed(): Assignment[] {
  const { store } = sandbox.em;
  for (const p of ['p-a', 'p-b']) store.addProduct({ id: p, carrierId: 'c', name: p, lineOfBusinessId: 'lob' });
  for (let i = 0; i < N; i++) {
    store.addAssignment({
      id: `a-${i}`, npn: npnOf(i), productId: i % 2 ? 'p-b' : 'p-a', commissionLevelId: 'l', assignmentStatusId: 's',
      administrativeDivisions: [], displayNumber: `CA-${i}`, changes: [],
    });
  }
  return store.data.assignments;
}

interface Page { _embedded?: { contractAssignments: Array<{ id: string; npn: string }> }; page: { size: number; totalElements: number; totalPages: number; number: number }; _links: Record<string, { href: string }> }

async function listAll(bearer: string, size: number): Promise<{ ids: string[]; pages: Page[] }> {
  const ids: string[] = [];
  const pages: Page[] = [];
  for (let page = 0; ; page++) {
    const r = await call(sandbox.em, bearer, 'GET', `/v1/customers/contractAssignments?page=${page}&size=${size}`);
    expect(r.status).toBe(200);
    const body = r.body as Page;
    pages.push(body);
    ids.push(...(body._embedded?.contractAssignments ?? []).map((a) => a.id));
    if (!body._links.next) return { ids, pages };
  }
}

describe('emulator listing of a 100,000-assignment account', () => {
  it('pages are consecutive slices of one stable order, with consistent totals and links', async () => {
    const seeded = seed().map((a) => a.id);
    const bearer = await token(sandbox.em);
    const { ids, pages } = await listAll(bearer, 1000);
    expect(pages).toHaveLength(100);
    expect(ids).toEqual(seeded);
    expect(pages.every((p) => p.page.totalElements === N && p.page.totalPages === 100 && p.page.size === 1000)).toBe(true);
    expect(pages[99]._links.last.href).toBe('/v1/customers/contractAssignments?page=99&size=1000');
    // The default page (250) and a page past the end.
    const first = (await call(sandbox.em, bearer, 'GET', '/v1/customers/contractAssignments')).body as Page;
    expect(first._embedded!.contractAssignments.map((a) => a.id)).toEqual(seeded.slice(0, 250));
    const past = (await call(sandbox.em, bearer, 'GET', '/v1/customers/contractAssignments?page=400&size=250')).body as Page;
    expect(past._embedded).toBeUndefined();
    expect(past.page).toEqual({ size: 250, totalElements: N, totalPages: 400, number: 400 });
  });

  it('the NPN filter returns that producer only, and a deletion keeps the order of the rest', async () => {
    seed();
    const bearer = await token(sandbox.em);
    const npn = npnOf(77_776);
    const filtered = (await call(sandbox.em, bearer, 'GET', `/v1/customers/contractAssignments?npn=${npn}`)).body as Page;
    expect(filtered._embedded!.contractAssignments.map((a) => a.id)).toEqual(['a-77776', 'a-77777']);
    expect(filtered.page.totalElements).toBe(2);

    expect((await call(sandbox.em, bearer, 'DELETE', '/v1/customers/contractAssignments/a-77776')).status).toBe(204);
    const after = (await call(sandbox.em, bearer, 'GET', `/v1/customers/contractAssignments?npn=${npn}`)).body as Page;
    expect(after._embedded!.contractAssignments.map((a) => a.id)).toEqual(['a-77777']);
    expect((await call(sandbox.em, bearer, 'GET', '/v1/customers/contractAssignments/a-77776')).status).toBe(404);
    const { ids } = await listAll(bearer, 1000);
    expect(ids).toHaveLength(N - 1);
    expect(ids.slice(77_775, 77_777)).toEqual(['a-77775', 'a-77777']);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => `a-${i}`).filter((id) => id !== 'a-77776'));
    // Deleting the producer's last assignment leaves the filter empty (no stale index entry).
    await call(sandbox.em, bearer, 'DELETE', '/v1/customers/contractAssignments/a-77777');
    const gone = (await call(sandbox.em, bearer, 'GET', `/v1/customers/contractAssignments?npn=${npn}`)).body as Page;
    expect(gone._embedded).toBeUndefined();
    expect(gone.page.totalElements).toBe(0);
  });
});
