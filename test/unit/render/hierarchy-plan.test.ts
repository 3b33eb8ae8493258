import { describe, expect, it } from 'vitest';
import { hierarchyChanges, productTrees } from '../../../src/core/hierarchy-plan.js';
import type { Change, Plan, View } from '../../../src/core/types.js';
import { mermaidText } from '../../../src/render/escape.js';
import { hierarchyMarkdown, hierarchyTextLines, MERMAID_MAX_NODES, mermaidChart, TEXT_MAX_LINES } from '../../../src/render/hierarchy-plan.js';
import { createStyle } from '../../../src/render/style.js';

/** An assignment change on Acme / Term as the planner makes them (name-space views). */
function change(npn: string, action: Change['action'], before: View | null, after: View | null, fields: Change['fields'] = []): Change {
  return {
    address: { kind: 'assignment', key: `${npn}@Acme/Term` }, identity: { npn, carrier: 'Acme', product: 'Term' }, action, before, after, fields,
    dependsOn: [], liveId: action === 'create' ? null : `id-${npn}`, fingerprint: null, operation: null, notes: [],
  };
}
const plan = (changes: Change[]): Plan => ({ changes, unmanaged: [], uncomparable: [], diagnostics: [] });
const noop = (npn: string, upline?: string) => change(npn, 'noop', { commissionLevel: 'L1', ...(upline ? { upline } : {}) }, { commissionLevel: 'L1', ...(upline ? { upline } : {}) });

describe('the plan as a hierarchy', () => {
  it('draws a product only when a position on it changes, in plan order, and derives it again when the change list is another', () => {
    const p = plan([noop('1'), noop('2', '1'), noop('9')]);
    // A large unchanged book: no product to draw, nothing built for it.
    expect(productTrees(p)).toEqual([]);
    p.changes = [noop('1'), change('3', 'create', null, { commissionLevel: 'L1', upline: '2' }), noop('2', '1')];
    expect(productTrees(p)).toEqual([{
      carrier: 'Acme', product: 'Term',
      positions: [{ npn: '1', upline: null, level: 'L1' }, { npn: '3', upline: '2', level: 'L1', change: 'new' }, { npn: '2', upline: '1', level: 'L1' }],
      changes: [{ carrier: 'Acme', product: 'Term', npn: '3', change: 'new', from: null, to: '2' }],
    }]);
    // The same plan asked again: the same trees, not derived a second time.
    expect(productTrees(p)).toBe(productTrees(p));
    p.changes.push(change('4', 'delete', { commissionLevel: 'L1', upline: '2' }, null));
    expect(hierarchyChanges(p).map((c) => c.npn)).toEqual(['3', '4']);
  });

  it('reads new, moved (also to the top), terminated and removed positions out of the changes', () => {
    const p = plan([
      noop('1'), noop('2', '1'),
      change('3', 'create', null, { commissionLevel: 'L1', upline: '2' }),
      change('4', 'update', { upline: '1' }, { upline: '2' }, [{ field: 'upline', before: '1', after: '2' }]),
      change('5', 'update', { upline: '1' }, { upline: null }, [{ field: 'upline', before: '1', after: null }]),
      change('6', 'update', { status: 'APPROVED', upline: '2' }, { status: 'TERMINATED', upline: '2' }, [{ field: 'status', before: 'APPROVED', after: 'TERMINATED' }]),
      change('7', 'delete', { commissionLevel: 'L1', upline: '2' }, null),
    ]);
    expect(hierarchyChanges(p)).toEqual([
      { carrier: 'Acme', product: 'Term', npn: '3', change: 'new', from: null, to: '2' },
      { carrier: 'Acme', product: 'Term', npn: '4', change: 'moved', from: '1', to: '2' },
      { carrier: 'Acme', product: 'Term', npn: '5', change: 'moved', from: '1', to: null },
      { carrier: 'Acme', product: 'Term', npn: '6', change: 'terminated', from: '2', to: null },
      { carrier: 'Acme', product: 'Term', npn: '7', change: 'removed', from: '2', to: null },
    ]);
    const { chart } = mermaidChart(productTrees(p)[0]);
    expect(chart).toContain('  n2 ==>|moved here| n4\n  n1 -.->|was| n4');
    expect(chart).toContain('  n2 -.->|removed| n7');
    expect(chart).not.toContain('n2 --> n7');
    expect(chart).toContain('  class n3 new\n  class n4,n5 moved\n  class n6,n7 terminated');
    expect(hierarchyMarkdown(p, 10_000)).toContain('- moved 5 from 1 to the top\n- terminated 6 \\(under 2\\)');
  });

  it('a plan without position changes, or on a product where nobody has an upline, has no hierarchy section', () => {
    expect(hierarchyChanges(plan([noop('1'), noop('2', '1')]))).toEqual([]);
    expect(hierarchyMarkdown(plan([noop('1')]), 10_000)).toBe('');
    const flat = plan([noop('1'), change('2', 'create', null, { commissionLevel: 'L1' })]);
    expect(hierarchyChanges(flat)).toEqual([]);
    expect(hierarchyTextLines(flat, createStyle(false))).toEqual([]);
    expect(hierarchyChanges(plan([noop('1'), change('2', 'create', null, { commissionLevel: 'L1', upline: '1' })])).map((c) => c.npn)).toEqual(['2']);
  });

  it(`the text section lists at most ${TEXT_MAX_LINES} position changes per product, then says how many more`, () => {
    const many = plan([noop('1'), ...Array.from({ length: TEXT_MAX_LINES + 5 }, (_, i) => change(String(100 + i), 'create', null, { commissionLevel: 'L1', upline: '1' }))]);
    const lines = hierarchyTextLines(many, createStyle(false));
    expect(lines.filter((l) => l.startsWith('    + new'))).toHaveLength(TEXT_MAX_LINES);
    expect(lines).toContain("    … and 5 more position change(s) on this product (the JSON plan's hierarchy lists every one)");
  });

  it('escapes names in Mermaid labels: nothing closes the label, the chart or the comment', () => {
    expect(mermaidText('Gold "A"]; end\n```<b>#x')).toBe('Gold #34;A#34;#93;#59; end#10;#96;#96;#96;#60;b#62;#35;x');
    const p = plan([change('9', 'create', null, { commissionLevel: 'L"]\n```', upline: '1' })]);
    const { chart } = mermaidChart(productTrees(p)[0]);
    expect(chart).toContain('n9["9 (L#34;#93;#10;#96;#96;#96;)"]');
    expect(chart.split('\n').every((l) => !l.startsWith('```'))).toBe(true);
  });

  it(`draws at most ${MERMAID_MAX_NODES} positions: past that, the changed ones with their uplines and downlines, with a note`, () => {
    // A root, 30 managers, 10 producers each (331 positions); producer 1005 moves to manager 101.
    const changes = [noop('1')];
    for (let m = 100; m < 130; m++) {
      changes.push(noop(String(m), '1'));
      for (let k = 0; k < 10; k++) changes.push(noop(String(m * 10 + k), String(m)));
    }
    const i = changes.findIndex((c) => c.identity.npn === '1005');
    changes[i] = change('1005', 'update', { upline: '100' }, { upline: '101' }, [{ field: 'upline', before: '100', after: '101' }]);
    const { chart, note } = mermaidChart(productTrees(plan(changes))[0]);
    expect(note).toBe('331 positions on this product: only the 4 around the changes are drawn.');
    expect(chart.match(/\["/g)).toHaveLength(4);
    expect(chart).toContain('n101 ==>|moved here| n1005');
    expect(chart).toContain('n100 -.->|was| n1005');
  });
});
