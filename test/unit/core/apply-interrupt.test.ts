import { describe, expect, it } from 'vitest';
import { applyPlan, NOT_STARTED } from '../../../src/core/apply-plan.js';
import { computePlan } from '../../../src/core/compute-plan.js';
import type { ApiPort, ResolvedOperation } from '../../../src/core/ports.js';
import { KINDS } from '../../../src/kinds/index.js';
import { desired, live } from './builders.js';

/** Records writes; `during` runs while a write is in flight (to interrupt mid-apply). */
function api(during: (op: ResolvedOperation) => void = () => {}, status?: number): ApiPort & { sent: ResolvedOperation[] } {
  let n = 0;
  const sent: ResolvedOperation[] = [];
  return {
    sent,
    get: async () => ({}),
    list: async () => [],
    send: async (op) => {
      sent.push(op);
      during(op);
      if (status) throw Object.assign(new Error(`status ${status}`), { status });
      return { id: `id${++n}` };
    },
  };
}

describe('applyPlan under an AbortSignal (Ctrl-C)', () => {
  it('already aborted: nothing is sent, every change is skipped as not started', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const fake = api();
    const results = await applyPlan(computePlan(desired(['1', '2']), live(), KINDS).changes, fake, { kinds: KINDS, concurrency: 4, signal: controller.signal });
    expect(fake.sent).toEqual([]);
    expect(results.every((r) => r.outcome === 'skipped' && r.error === NOT_STARTED)).toBe(true);
  });

  it('aborted while the carrier is being created: the carrier finishes, nothing after it starts', async () => {
    const controller = new AbortController();
    const fake = api(() => controller.abort('SIGINT'));
    const results = await applyPlan(computePlan(desired(['1', '2']), live(), KINDS).changes, fake, { kinds: KINDS, concurrency: 4, signal: controller.signal });
    expect(fake.sent.map((o) => o.path)).toEqual(['/v1/customers/carriers']);
    expect(results.map((r) => `${r.address} ${r.outcome}`)).toEqual([
      'carrier.Acme succeeded', 'product.Acme/Term skipped', 'commissionLevel.Acme/Term/L1 skipped', 'assignment.1@Acme/Term skipped', 'assignment.2@Acme/Term skipped',
    ]);
    expect(results.slice(1).every((r) => r.error === NOT_STARTED)).toBe(true);
  });

  it('an ambiguous failure is not retried once interrupted', async () => {
    const controller = new AbortController();
    const fake = api(() => controller.abort('SIGTERM'), 502);
    const results = await applyPlan(computePlan(desired([]), live(), KINDS).changes, fake, { kinds: KINDS, concurrency: 1, signal: controller.signal });
    expect(fake.sent).toHaveLength(1);
    expect(results[0]).toMatchObject({ address: 'carrier.Acme', outcome: 'failed' });
  });
});
