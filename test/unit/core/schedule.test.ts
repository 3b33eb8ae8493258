import { describe, expect, it } from 'vitest';
import { computePlan } from '../../../src/core/compute-plan.js';
import { isRealDate } from '../../../src/core/schedule.js';
import { isTerminal } from '../../../src/core/statuses.js';
import { KINDS } from '../../../src/kinds/index.js';
import { converged, desired, live } from './builders.js';

const summary = (p: ReturnType<typeof computePlan>) => ({
  changes: p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.address.kind}.${c.address.key}`),
  scheduled: (p.scheduled ?? []).map((s) => `${s.date} ${s.action} ${s.address.kind}.${s.address.key}`),
});

describe('effective dates in the planner (SPEC §12)', () => {
  it('a create effective later waits, and so does everything that needs the object it creates', () => {
    const d = desired(['1'], (s) => void (s.entries.product[0].effective = '2027-01-01'));
    expect(summary(computePlan(d, live(), KINDS, { asOf: '2026-12-31' }))).toEqual({
      changes: ['create carrier.Acme'],
      scheduled: ['2027-01-01 create product.Acme/Term', '2027-01-01 create commissionLevel.Acme/Term/L1', '2027-01-01 create assignment.1@Acme/Term'],
    });
    expect(summary(computePlan(d, live(), KINDS, { asOf: '2027-01-01' })).scheduled).toEqual([]);
  });

  it('--only-due keeps the changes whose date has come (and what they need), not undated drift', () => {
    const d = desired(['1', '2'], (s) => {
      s.entries.commissionLevel[0].fields.firstYearValue = 60;
      s.entries.commissionLevel[0].effective = '2027-01-01';
      s.entries.carrier[0].fields.naic = '99999';
    });
    const l = converged(['1', '2']);
    const all = computePlan(d, l, KINDS, { asOf: '2027-01-01' });
    expect(summary(all).changes).toEqual(['update carrier.Acme', 'update commissionLevel.Acme/Term/L1']);
    const due = computePlan(d, l, KINDS, { asOf: '2027-01-01', onlyDue: true });
    expect(summary(due).changes).toEqual(['update commissionLevel.Acme/Term/L1']);
    expect(due.unmanaged).toEqual([]);
    expect(summary(computePlan(d, l, KINDS, { asOf: '2026-12-31', onlyDue: true })).changes).toEqual([]);
  });

  it('until: schedules a termination before its date and terminates from it', () => {
    const d = desired(['1'], (s) => void (s.entries.assignment[0].until = '2027-02-01'));
    const before = computePlan(d, converged(['1']), KINDS, { asOf: '2027-01-31' });
    expect(summary(before)).toEqual({ changes: [], scheduled: ['2027-02-01 terminate assignment.1@Acme/Term'] });
    const on = computePlan(d, converged(['1']), KINDS, { asOf: '2027-02-01' });
    expect(summary(on).changes).toEqual(['terminate assignment.1@Acme/Term']);
    expect(on.changes.find((c) => c.action === 'terminate')!.operation).toMatchObject({ method: 'PUT', body: { endDate: '2027-02-01' } });
  });
});

describe('dates and terminal statuses', () => {
  it.each([['2027-01-01', true], ['2028-02-29', true], ['2027-02-29', false], ['2027-13-01', false], ['2027-1-1', false], ['tomorrow', false]])('isRealDate(%s) = %s', (text, expected) => {
    expect(isRealDate(text)).toBe(expected);
  });

  it.each([['TERMINATED', true], ['Terminated for Cause', true], ['released', true], ['APPROVED', false], ['INACTIVE', false]])('isTerminal(%s) = %s', (name, expected) => {
    expect(isTerminal(name)).toBe(expected);
  });
});
