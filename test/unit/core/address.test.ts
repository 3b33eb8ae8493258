import { describe, expect, it } from 'vitest';
import { canonicalKey, decodeKey, duplicateKey, encodeKey, unquotedKey } from '../../../src/core/address.js';

const NASTY = ['A/B', 'B/C', 'x@y', 'n#1', 'say "hi"', 'back\\slash', 'line\nbreak', '  padded ', '', 'Über — 55%', '日本語', '\u0000nul', '\u202Eltr', '"', '/', '@#/'];

/** A deterministic stream of awkward strings built from the characters that matter. */
function* randomParts(count: number): Generator<string[]> {
  let seed = 7;
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const alphabet = ['a', 'Z', ' ', '/', '@', '#', '"', '\\', '\n', '\t', 'é', '—', '1'];
  for (let i = 0; i < count; i++) {
    yield Array.from({ length: 1 + next(3) }, () => Array.from({ length: next(6) }, () => alphabet[next(alphabet.length)]).join(''));
  }
}

describe('address keys: one encode/decode pair', () => {
  it('plain names stay bare, as every earlier plan showed them', () => {
    expect(encodeKey(['Acme Insurance Company', 'Term Life — Standard', 'Level 1 — 55%'])).toBe('Acme Insurance Company/Term Life — Standard/Level 1 — 55%');
    expect(encodeKey(['15645555', 'Acme', 'Term'], '@/')).toBe('15645555@Acme/Term');
  });

  it('every awkward name round-trips, alone and beside others', () => {
    for (const name of NASTY) {
      expect(decodeKey(encodeKey([name]))).toEqual([name]);
      expect(decodeKey(encodeKey(['17100001', name, name], '@/'))).toEqual(['17100001', name, name]);
    }
    for (const parts of randomParts(2000)) expect(decodeKey(encodeKey(parts))).toEqual(parts);
  });

  it('different identities never share a key', () => {
    expect(encodeKey(['A/B', 'C'])).not.toBe(encodeKey(['A', 'B/C']));
    const seen = new Map<string, string>();
    for (const parts of randomParts(2000)) {
      const key = encodeKey(parts);
      const before = seen.get(key);
      if (before !== undefined) expect(JSON.parse(before)).toEqual(parts);
      seen.set(key, JSON.stringify(parts));
    }
  });

  it('a live duplicate\'s ordinal is one more part', () => {
    expect(decodeKey(duplicateKey(encodeKey(['A', 'n#1']), 2))).toEqual(['A', 'n#1', '2']);
  });

  it('reads what a person types: redundant quotes are canonicalised, bad keys are not decoded', () => {
    expect(canonicalKey('"Acme"/"Term"')).toBe('Acme/Term');
    expect(canonicalKey('A/"B/C"')).toBe('A/"B/C"');
    expect(decodeKey('"unterminated')).toBeUndefined();
    expect(decodeKey('a"b')).toBeUndefined();
    expect(decodeKey('A//B')).toBeUndefined();
    expect(unquotedKey('A/"B/C"')).toBe('A/B/C');
  });
});
