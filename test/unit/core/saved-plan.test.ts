import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/core/fingerprint.js';
import { comparePlans } from '../../../src/core/saved-plan.js';
import type { Change } from '../../../src/core/types.js';

describe('fingerprint', () => {
  it('is one value per object, whichever endpoint read it (a listing tags levels with productId)', () => {
    const single = { id: 'l1', name: 'Street', type: 'Percent', firstYearValue: 80, _links: { self: { href: '/v1/customers/commissionLevels/l1' } } };
    const listed = { ...single, productId: 'p1', _links: { self: { href: '/x' } } };
    expect(fingerprint(listed)).toBe(fingerprint(single));
    expect(fingerprint({ ...single, firstYearValue: 82.5 })).not.toBe(fingerprint(single));
  });
});

const change = (over: Partial<Change> = {}): Change => ({
  address: { kind: 'carrier', key: 'Acme' }, identity: { carrier: 'Acme' }, action: 'update', before: { naic: '1' }, after: { naic: '2' },
  fields: [{ field: 'naic', before: '1', after: '2' }], dependsOn: [], liveId: 'c1', fingerprint: 'f', notes: [],
  operation: { api: 'agentsync', method: 'PUT', path: '/v1/customers/carriers/c1', refs: [], body: { naic: '2' } }, ...over,
});

describe('comparePlans', () => {
  it('finds no difference between a change and its JSON round trip, whatever the source location says', () => {
    const saved = JSON.parse(JSON.stringify([change({ source: { file: '../downline.yaml', line: 1, column: 1 } })]));
    expect(comparePlans(saved, [change({ source: { file: 'downline.yaml', line: 1, column: 1 } })])).toEqual([]);
  });

  it('names every change that differs, appeared, or is no longer derived', () => {
    const other = change({ address: { kind: 'carrier', key: 'Beta' }, identity: { carrier: 'Beta' } });
    const saved = JSON.parse(JSON.stringify([change({ operation: { api: 'agentsync', method: 'DELETE', path: '/v1/customers/carriers/c1', refs: [] } }), other]));
    const fresh = [change(), change({ address: { kind: 'carrier', key: 'Gamma' }, identity: { carrier: 'Gamma' }, action: 'create' })];
    expect(comparePlans(saved, fresh).map((d) => `${d.address.key}: ${d.reason}`)).toEqual([
      'Acme: differs from the saved plan in operation',
      'Gamma: is now planned (create) but is not in the saved plan',
      'Beta: is in the saved plan (update) but the config and the account no longer yield it',
    ]);
  });
});
