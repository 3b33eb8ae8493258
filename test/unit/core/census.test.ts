/**
 * Summaries, guard rails and renderings read one census of the plan: the counts are right, and the
 * change list is walked a bounded number of times however many readers ask (it was ~16 walks).
 */
import { describe, expect, it } from 'vitest';
import { census, computePlan, hasChanges, summarize } from '../../../src/core/compute-plan.js';
import { checkSafety } from '../../../src/core/safety.js';
import type { Change, Plan } from '../../../src/core/types.js';
import { KINDS } from '../../../src/kinds/index.js';
import { planDocument } from '../../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';
import { renderPlanText } from '../../../src/render/plan-text.js';
import { createStyle } from '../../../src/render/style.js';
import { converged, desired } from './builders.js';

/** 11 unchanged producers, 1 drifted (level), 1 new, 1 pruned away, 1 unmanaged (and an unmanaged level). */
function mixedPlan(): Plan {
  const npns = Array.from({ length: 12 }, (_, i) => String(i + 1));
  const live = converged([...npns, '98', '99']);
  live.objects.commissionLevel.push({ id: 'l2', productId: 'p1', name: 'L2', type: 'Percent', firstYearValue: 60 });
  live.objects.assignment[5].commissionLevelId = 'l2';
  const state = desired([...npns, '50']);
  const plan = computePlan(state, live, KINDS);
  // One of the two undeclared producers pruned: a delete beside an unmanaged one.
  const pruned = computePlan(desired([...npns, '50'], (s) => { s.prune.kinds.assignment = true; }), live, KINDS);
  const del = pruned.changes.find((c) => c.action === 'delete' && c.address.key.startsWith('99@'))!;
  return { ...plan, changes: [...plan.changes, del], unmanaged: plan.unmanaged.filter((u) => !u.address.key.startsWith('99@')) };
}

/** The same plan, counting every walk over its change list (iteration or an array method). */
function counted(plan: Plan): { plan: Plan; walks: () => number } {
  let walks = 0;
  const WALKS = new Set<PropertyKey>([Symbol.iterator, 'filter', 'some', 'every', 'map', 'forEach', 'find', 'findIndex', 'reduce', 'flatMap', 'entries']);
  const changes = new Proxy(plan.changes, {
    get(target, prop, receiver) {
      if (WALKS.has(prop)) walks += 1;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { plan: { ...plan, changes: changes as Change[] }, walks: () => walks };
}

describe('plan census', () => {
  it('counts actions, per-kind actions, live objects in scope, unverified and workflow progress in one walk', () => {
    const plan = mixedPlan();
    const c = census(plan);
    expect(c.actions).toEqual({ create: 1, update: 1, delete: 1, terminate: 0, noop: 14 });
    expect(c.kinds.assignment).toEqual({ actions: { create: 1, update: 1, delete: 1, terminate: 0, noop: 11 }, live: 14 });
    expect(c.kinds.commissionLevel).toEqual({ actions: { create: 0, update: 0, delete: 0, terminate: 0, noop: 1 }, live: 2 });
    expect(c.kinds.carrier).toEqual({ actions: { create: 0, update: 0, delete: 0, terminate: 0, noop: 1 }, live: 1 });
    expect(summarize(plan)).toEqual({ create: 1, update: 1, delete: 1, terminate: 0, scheduled: 0, noop: 14, unmanaged: 2, unverified: 0 });
    expect(hasChanges(plan)).toBe(true);
    expect(hasChanges(computePlan(desired(['1']), converged(['1']), KINDS))).toBe(false);
    // Remembered per plan, but never stale: a list that grew is counted again.
    plan.changes.push({ ...plan.changes[0], action: 'delete' });
    expect(census(plan).actions.delete).toBe(2);
  });

  it('summaries, guard rails and every rendering of a plan walk its change list a bounded number of times', () => {
    const { plan, walks } = counted(mixedPlan());
    const style = createStyle(false);
    summarize(plan);
    hasChanges(plan);
    const verdict = checkSafety(plan, { maxDeletes: 0, maxDeletePercent: 100, force: false, maxUpdatePercent: 5 });
    const text = renderPlanText(plan, style, { verbose: false, drift: true });
    renderPlanMarkdown(plan, { verbose: false, drift: true });
    const doc = planDocument(plan, { toolVersion: '0', env: 'sandbox', configDigest: '', configPaths: [], targets: [] });
    // The census (1); for text and markdown each: grouping by kind and the new-parents index (4); the
    // hierarchy picture once for all three (1) — the JSON document's summary and hierarchy walk nothing more.
    expect(walks()).toBeLessThanOrEqual(6);
    expect(doc.summary.update).toBe(1);
    expect(verdict.reasons).toEqual(['1 deletes exceed --max-deletes 0', '1 of 14 live assignment objects (7.1%) would be updated, over --max-update-percent 5']);
    expect(text).toContain('Deletes: 1 contract assignment.');
    expect(text).toContain('Drift: 1 object(s) differ from the config');
    expect(text).toContain('Plan: 1 to create, 1 to update, 1 to delete, 2 unmanaged.');
  });
});
