import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/core/apply-plan.js';
import { computePlan } from '../../../src/core/compute-plan.js';
import type { ApiPort, ResolvedOperation } from '../../../src/core/ports.js';
import { KINDS } from '../../../src/kinds/index.js';
import { desired, live } from './builders.js';

/** A fake API: records writes, answers creates with sequential ids, and fails on demand. */
function fakeApi(fail: (op: ResolvedOperation) => { status: number; message: string } | undefined = () => undefined, carriers: Array<{ id: string; name: string }> = []): ApiPort & { sent: ResolvedOperation[] } {
  let n = 0;
  const sent: ResolvedOperation[] = [];
  return {
    sent,
    get: async () => ({}),
    list: async (path) => (path === '/v1/customers/carriers' ? carriers : []),
    send: async (op) => {
      sent.push(op);
      const failure = fail(op);
      if (failure) throw Object.assign(new Error(failure.message), failure);
      // Like the API: each created object comes back with its fields and its new id.
      if (Array.isArray(op.body)) return op.body.map((b) => ({ ...(b as object), id: `id${++n}` }));
      return { id: `id${++n}` };
    },
  };
}

describe('applyPlan', () => {
  it('runs in dependency order and binds ids of new parents into children', async () => {
    const api = fakeApi();
    const results = await applyPlan(computePlan(desired(['1']), live(), KINDS).changes, api, { kinds: KINDS, concurrency: 4 });
    expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(api.sent.map((o) => o.path)).toEqual(['/v1/customers/carriers', '/v1/customers/carriers/id1/products', '/v1/customers/id2/commissionLevels', '/v1/customers/contractAssignments']);
    expect(api.sent[3].body).toMatchObject({ productId: 'id2', commissionLevelId: 'id3' });
  });

  it('skips dependents of a failed change and continues independent work', async () => {
    const api = fakeApi((op) => (op.path.endsWith('/products') ? { status: 400, message: 'bad product' } : undefined));
    const d = desired(['1'], (s) => s.entries.carrier.push({ name: 'Beta', fields: {}, fieldSources: {}, source: s.entries.carrier[0].source }));
    const results = await applyPlan(computePlan(d, live(), KINDS).changes, api, { kinds: KINDS, concurrency: 1 });
    expect(results.map((r) => `${r.address} ${r.outcome}`)).toEqual([
      'carrier.Acme succeeded', 'carrier.Beta succeeded', 'product.Acme/Term failed', 'commissionLevel.Acme/Term/L1 skipped', 'assignment.1@Acme/Term skipped',
    ]);
    expect(results[3].error).toBe('depends on product.Acme/Term, which did not succeed');
  });

  it('a 422 on a carrier create adopts the carrier another writer made', async () => {
    const api = fakeApi((op) => (op.path === '/v1/customers/carriers' ? { status: 422, message: 'exists' } : undefined), [{ id: 'theirs', name: 'Acme' }]);
    const results = await applyPlan(computePlan(desired(['1']), live(), KINDS).changes, api, { kinds: KINDS, concurrency: 2 });
    expect(results[0]).toMatchObject({ outcome: 'succeeded', id: 'theirs', recovered: 'adopted: created by another writer' });
    expect(api.sent[1].path).toBe('/v1/customers/carriers/theirs/products');
  });

  it('groups new levels of a product into one bulk POST, in plan order', async () => {
    const api = fakeApi();
    const d = desired([], (s) => s.entries.commissionLevel.push({ ...s.entries.commissionLevel[0], name: 'L2' }, { ...s.entries.commissionLevel[0], name: 'L3' }));
    const results = await applyPlan(computePlan(d, live(), KINDS).changes, api, { kinds: KINDS, concurrency: 4 });
    const bulk = api.sent.find((o) => o.path.endsWith('/bulk'))!;
    expect(bulk.path).toBe('/v1/customers/id2/commissionLevels/bulk');
    expect((bulk.body as Array<{ name: string }>).map((b) => b.name)).toEqual(['L1', 'L2', 'L3']);
    expect(results.slice(2).map((r) => r.id)).toEqual(['id3', 'id4', 'id5']);
  });

  it('matches a bulk create answer to the request by name, not by position', async () => {
    const api = fakeApi();
    const send = api.send;
    api.send = async (op) => {
      const answer = await send(op);
      return Array.isArray(answer) ? [...answer].reverse() : answer;
    };
    const d = desired([], (s) => s.entries.commissionLevel.push({ ...s.entries.commissionLevel[0], name: 'L2' }, { ...s.entries.commissionLevel[0], name: 'L3' }));
    const results = await applyPlan(computePlan(d, live(), KINDS).changes, api, { kinds: KINDS, concurrency: 4 });
    expect(results.slice(2).map((r) => `${r.address} ${r.id}`)).toEqual(['commissionLevel.Acme/Term/L1 id3', 'commissionLevel.Acme/Term/L2 id4', 'commissionLevel.Acme/Term/L3 id5']);
  });
});
