import { createHash, hash } from 'node:crypto';

function canonical(value: unknown, omit: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, omit));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).filter((k) => !omit.has(k)).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k], omit)]));
  }
  return value;
}

/** JSON with object keys sorted: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, new Set())) ?? 'undefined';
}

/**
 * Left out of a live object's fingerprint: links (transport), and the parent ids a listing supplies
 * (a level listed under its product is tagged `productId`; a single read does not carry it) — the
 * object's address already says where it lives. So one object has one fingerprint, whichever
 * endpoint read it.
 */
const NOT_CONTENT: ReadonlySet<string> = new Set(['_links', 'productId', 'carrierId']);

const LINKS: ReadonlySet<string> = new Set(['_links']);

/** A short content hash of a live object in one normalised view: a saved plan records what it was computed against. */
export function fingerprint(raw: unknown): string {
  // One-shot `hash` (no Hash object per call: it runs for every live object of a plan); the first 8
  // bytes as hex, written as their own 16-character string — `.slice(0, 16)` of the hex digest would
  // keep all 64 characters alive in every change of the plan.
  const copy = sortedCopy(raw, NOT_CONTENT);
  const text = copy === GENERAL ? sortedJson(raw, NOT_CONTENT) : JSON.stringify(copy);
  return hash('sha256', text ?? 'undefined', 'buffer').toString('hex', 0, 8);
}

/** sortedCopy's answer when the native JSON.stringify could not keep the sorted key order. */
const GENERAL = Symbol('general');

/**
 * The value with its object keys sorted (`omit` at the top, `_links` everywhere), for the native
 * JSON.stringify to write in one go: the same text as sortedJson, without its thousands of
 * intermediate strings per object. GENERAL when an object holds a key JavaScript would not keep in
 * insertion order (an array index, which objects list first) or cannot set plainly (`__proto__`).
 */
function sortedCopy(value: unknown, omit: ReadonlySet<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonical(value, LINKS);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = sortedCopy(value[i], LINKS);
      if (v === GENERAL) return GENERAL;
      out[i] = v;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(record)) {
    if (omit.has(key)) continue;
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') return GENERAL;
    const v = sortedCopy(record[key], LINKS);
    if (v === GENERAL) return GENERAL;
    out[key] = v;
  }
  return out;
}

/** Field names as JSON, each written once: live objects of a kind share a few dozen names. */
const quotedKeys = new Map<string, string>();
const quoted = (key: string): string => {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, text);
  }
  return text;
};

/** The last object's keys and their sorted order: the objects of one listing come with their keys in one order, sorted once. */
let lastKeys: string[] = [];
let lastSorted: string[] = [];

function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  if (keys.length === lastKeys.length && keys.every((k, i) => k === lastKeys[i])) return lastSorted;
  lastKeys = keys;
  lastSorted = [...keys].sort();
  return lastSorted;
}

/**
 * `JSON.stringify(canonical(value))` written in one pass, without the sorted copies (it runs once per
 * live object of a plan: 100,000 on a large book). `omit` applies at the top, `_links` everywhere.
 * Anything JSON.stringify treats specially (toJSON) takes the general path.
 */
function sortedJson(value: unknown, omit: ReadonlySet<string>): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(canonical(value, LINKS));
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${sortedJson(value[i], LINKS) ?? 'null'}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of sortedKeys(record)) {
    if (omit.has(key)) continue;
    const text = sortedJson(record[key], LINKS);
    if (text !== undefined) out += `${out.length > 1 ? ',' : ''}${quoted(key)}:${text}`;
  }
  return `${out}}`;
}

/** A UUID-v4-shaped value derived from a string, for idempotency keys that survive re-runs. */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
