/**
 * The one-pass fingerprint gives exactly the hash of the sorted-copy form it replaced, so the
 * fingerprints in saved plans written before stay valid.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../../../src/core/fingerprint.js';

/** The previous definition, verbatim in behaviour: sorted copies, then JSON.stringify. */
function canonical(value: unknown, omit: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, omit));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).filter((k) => !omit.has(k)).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k], omit)]));
  }
  return value;
}
function previous(raw: unknown): string {
  const top = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => !['_links', 'productId', 'carrierId'].includes(k))) : raw;
  return createHash('sha256').update(JSON.stringify(canonical(top, new Set(['_links'])))).digest('hex').slice(0, 16);
}

const SAMPLES: unknown[] = [
  { id: 'a1', npn: '123', productId: 'p1', commissionLevelId: 'l1', administrativeDivisions: ['TX', 'CA'], _links: { self: { href: '/x' } } },
  { z: 1, a: { y: [1, { b: 2, a: 1, _links: {} }], productId: 'kept below the top' }, carrierId: 'c', 'ключ "q"': 'é\n\u2028', n: -0, f: 55.0, x: null, u: undefined, g: [undefined, NaN, Infinity] },
  { empty: {}, list: [], nested: [[[]]], when: new Date(0), t: true },
  [{ b: 1, a: 2 }, 'x'], 'plain', 42, null,
];

describe('fingerprint', () => {
  it('hashes exactly as the sorted-copy form did', () => {
    for (const sample of SAMPLES) expect(fingerprint(sample)).toBe(previous(sample));
  });
  it('canonicalJson sorts keys at every level', () => {
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [{ f: 1, e: 2 }] })).toBe('{"a":[{"e":2,"f":1}],"b":{"c":2,"d":1}}');
  });
});
