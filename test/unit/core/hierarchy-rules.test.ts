import { describe, expect, it } from 'vitest';
import { HIERARCHY_RULE_DEFAULTS } from '../../../src/core/desired.js';
import { checkHierarchy, type Position } from '../../../src/core/hierarchy-rules.js';
import { isTerminal } from '../../../src/core/statuses.js';

const at = (line: number) => ({ file: 'downline.yaml', line, column: 5 });
const pos = (npn: string, upline: string | null, line?: number, more: Partial<Position> = {}): Position =>
  ({ npn, carrier: 'Acme', product: 'Term', upline, level: 'L', ...(line ? { source: at(line) } : {}), ...more });
const check = (positions: Position[], complete = false) =>
  checkHierarchy({ positions, levelOf: () => ({ type: 'Percent', firstYearValue: 50 }), rules: { ...HIERARCHY_RULE_DEFAULTS }, complete });

describe('hierarchy rules (pure)', () => {
  it('follows a chain of 10,000 without recursion; closing it makes one cycle naming every member in upline order', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => pos(String(i), i === 0 ? null : String(i - 1), i + 1));
    expect(check(chain)).toEqual([]);
    chain[0] = pos('0', '9999', 1);
    const [finding, ...rest] = check(chain);
    expect(rest).toEqual([]);
    expect(finding.source).toEqual(at(1));
    expect(finding.message).toMatch(/^upline cycle on "Acme \/ Term": 0 → 9999 → 9998 → .* → 1 → 0 \(each producer's upline is the next\) \[noCycles\]$/);
    expect(finding.message.split(' → ')).toHaveLength(10_001);
  });

  it('a cycle only among live positions is not the config\'s to report; a missing upline is judged only with the live account', () => {
    expect(check([pos('1', '2'), pos('2', '1')], true)).toEqual([]);
    expect(check([pos('1', '9', 3)])).toEqual([]);
    expect(check([pos('1', '9', 3)], true).map((d) => d.message)).toEqual(['upline 9 of producer 1 holds no contract assignment on "Acme / Term", declared or live [uplineExists]']);
  });

  it('a live-only downline active under a declared terminated position is reported at the declared one', () => {
    const [finding] = check([pos('1', null, 7, { status: 'TERMINATED' }), pos('2', '1', undefined, { status: 'APPROVED' })], true);
    expect(finding.source).toEqual(at(7));
    expect(finding.message).toBe('producer 2 is active under 1, whose position on "Acme / Term" is TERMINATED [activeUnderTerminated]');
  });

  it('levels of different types are not compared', () => {
    const levels: Record<string, { type: string; firstYearValue: number }> = { Big: { type: 'Dollar', firstYearValue: 500 }, Small: { type: 'Percent', firstYearValue: 50 } };
    const found = checkHierarchy({ positions: [pos('1', null, 1, { level: 'Small' }), pos('2', '1', 2, { level: 'Big' })], levelOf: (_c, _p, l) => levels[l], rules: { ...HIERARCHY_RULE_DEFAULTS }, complete: false });
    expect(found).toEqual([]);
  });

  it('terminal statuses by name or description', () => {
    expect(['TERMINATED', 'Terminated for Cause', 'released'].map(isTerminal)).toEqual([true, true, true]);
    expect(['APPROVED', 'PENDING_WITH_CARRIER', undefined].map(isTerminal)).toEqual([false, false, false]);
  });
});
