import { describe, expect, it } from 'vitest';
import { create, del, noop, terminate, update } from '../../../src/core/change.js';
import type { Operation } from '../../../src/core/types.js';

const base = { address: { kind: 'carrier' as const, key: 'Acme' }, identity: { carrier: 'Acme' } };
const live = { liveId: 'c-1', fingerprint: 'f' };
const put: Operation = { api: 'agentsync', method: 'PUT', path: '/v1/customers/carriers/c-1', refs: [] };

describe('Change constructors', () => {
  it('an update or a termination without a changed field is a bug, not a plan', () => {
    expect(() => update(base, live, {}, {}, [], put)).toThrow('carrier.Acme: an update without a changed field');
    expect(() => terminate(base, live, {}, {}, [], put)).toThrow('a termination without a changed field');
  });

  it('each action gets exactly the nulls the Change type documents, in one field order', () => {
    const made = [
      create(base, { naic: '1' }, { ...put, method: 'POST' }),
      update(base, live, { naic: '1' }, { naic: '2' }, [{ field: 'naic', before: '1', after: '2' }], put),
      noop(base, live, { naic: '1' }, { naic: '1' }),
      del(base, live, { naic: '1' }, { ...put, method: 'DELETE' }),
    ];
    expect(made.map((c) => [c.action, c.before === null, c.after === null, c.fields.length, c.operation === null, c.liveId, c.fingerprint])).toEqual([
      ['create', true, false, 0, false, null, null],
      ['update', false, false, 1, false, 'c-1', 'f'],
      ['noop', false, false, 0, true, 'c-1', 'f'],
      ['delete', false, true, 0, false, 'c-1', 'f'],
    ]);
    for (const c of made) expect(Object.keys(c)).toEqual(['address', 'identity', 'action', 'before', 'after', 'fields', 'dependsOn', 'liveId', 'fingerprint', 'operation', 'notes']);
  });
});
