import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).filter((k) => k !== '_links').sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A short content hash of a live object (links excluded): apply --plan refuses when it moved. */
export function fingerprint(raw: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(raw))).digest('hex').slice(0, 16);
}

/** A UUID-v4-shaped value derived from a string, for idempotency keys that survive re-runs. */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
