import { describe, expect, it } from 'vitest';
import { checkReadiness, type LicenceRecord, type ReadinessTarget } from '../../../src/core/readiness.js';

const target = (states: string[] | undefined, lineOfBusiness = 'Life'): ReadinessTarget => ({
  npn: '1', producer: 'producer 1', carrier: 'Acme', product: 'Term', lineOfBusiness, ...(states ? { states } : {}), source: { file: 'c.yaml', line: 3, column: 5 },
});
const licence = (state: string, o: Partial<LicenceRecord> = {}, categories = ['Life']): LicenceRecord => ({
  npn: '1', state, active: true, resident: false, linesOfAuthority: categories.map((c) => ({ name: c, category: c, active: true })), ...o,
});
const options = { level: 'warning' as const, categories: { Life: ['Life'], Health: ['Accident & Health'] }, today: '2026-11-24' };
const messages = (t: ReadinessTarget, l: LicenceRecord[]) => checkReadiness([t], l, options).map((d) => d.message);

describe('readiness: why a producer is not ready', () => {
  it('passes an active, unexpired licence with a matching line, resident or not, expiring today', () => {
    expect(messages(target(['CA', 'TX']), [licence('CA', { resident: true }), licence('TX', { expirationDate: '2026-11-24' })])).toEqual([]);
  });

  it('names each reason: none held (states together), expired with its date, inactive, wrong line, inactive line', () => {
    const found = messages(target(['AK', 'AL', 'CA', 'NY', 'TX', 'WA']), [
      licence('CA', { expirationDate: '2026-09-30' }),
      licence('NY', { active: false }),
      licence('TX', {}, ['Property', 'Casualty']),
      { ...licence('WA'), linesOfAuthority: [{ name: 'Life', category: 'life', active: false }] },
    ]);
    expect(found).toEqual([
      'producer 1 is not ready for "Acme / Term": no active Life licence in CA; expired 2026-09-30',
      'producer 1 is not ready for "Acme / Term": no active Life licence in NY; licence inactive',
      'producer 1 is not ready for "Acme / Term": no active Life licence in TX; the licence held there has no matching line of authority (holds Casualty, Property)',
      'producer 1 is not ready for "Acme / Term": no active Life licence in WA; line of authority inactive',
      'producer 1 is not ready for "Acme / Term": no active Life licence in AK, AL; no licence held there',
    ]);
  });

  it('says once when it cannot check: a line of business without a rule, a contract without states', () => {
    const d = checkReadiness([target(['CA'], 'Pet Insurance'), target(['TX'], 'Pet Insurance'), target(undefined), target(undefined)], [], options);
    expect(d.map((x) => [x.severity, x.message])).toEqual([
      ['warning', 'licences not checked for line of business "Pet Insurance": no line-of-authority rule for it'],
      ['warning', 'licences not checked for "Acme / Term": neither the position nor the product declares states'],
    ]);
  });

  it('reports at the level asked, at the entry', () => {
    const [d] = checkReadiness([target(['CA'])], [], { ...options, level: 'error' });
    expect(d).toMatchObject({ severity: 'error', source: { file: 'c.yaml', line: 3, column: 5 } });
  });
});
