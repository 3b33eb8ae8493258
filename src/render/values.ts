import { createRequire } from 'node:module';
import { ALL_DIVISIONS } from '../core/desired.js';
import type { FieldChange, Value } from '../core/types.js';
import { visible } from './escape.js';

// `diff` is loaded by the first changed long string a plan shows, not by every plan (its CommonJS build, synchronously).
let diffWords: typeof import('diff').diffWordsWithSpace | undefined;
const wordDiff = () => (diffWords ??= (createRequire(import.meta.url)('diff') as typeof import('diff')).diffWordsWithSpace);

const isAllDivisions = (value: Value[]) => value.length === ALL_DIVISIONS.length && ALL_DIVISIONS.every((d) => value.includes(d));

/** One value as the plan shows it: strings quoted, lists in brackets, absent as (none); controls escaped. */
export function formatValue(value: Value | undefined): string {
  return visible(rawValue(value));
}

function rawValue(value: Value | undefined): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) && isAllDivisions(value)) return 'all (51 codes)';
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'object' && v !== null ? formatObject(v) : formatValue(v))).join(', ')}]`;
  if (typeof value === 'object') return formatObject(value);
  return String(value);
}

/** Keys that name an object (its path); the others are its details, shown as `key: value`. */
const NAME_KEYS = new Set(['carrier', 'product', 'commissionLevel']);

/**
 * An object in a list (an invitation's contract): its name path, then its other fields in words —
 * `Acme / Term / L1 (states: [CA, CO], upline: "15645555")` — so a reviewer sees where and under whom.
 */
export function formatObject(value: Value): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return formatValue(value);
  const entries = Object.entries(value);
  const names = entries.filter(([k, v]) => NAME_KEYS.has(k) && typeof v === 'string').map(([, v]) => v as string);
  const details = entries.filter(([k, v]) => !(NAME_KEYS.has(k) && typeof v === 'string')).map(([k, v]) => `${DETAIL_LABELS[k] ?? k}: ${formatValue(v)}`);
  if (names.length === 0) return details.join(', ');
  return `${visible(names.join(' / '))}${details.length ? ` (${details.join(', ')})` : ''}`;
}

const DETAIL_LABELS: Record<string, string> = { administrativeDivisions: 'states', uplineNpn: 'upline' };

/** A field as `key: value` lines: a list of objects (contracts) one per line, under the key. */
export function formatFieldLines(field: string, value: Value | undefined): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
    return [`${field}:`, ...value.map((v) => `  - ${formatObject(v)}`)];
  }
  return [`${field}: ${formatValue(value)}`];
}

const LONG = 60;

/**
 * `before → after` for one field. Lists show what is added and removed (they compare as sets);
 * long strings show a word diff, so a one-character change in a long value is visible.
 */
export function formatFieldChange(before: Value | undefined, after: Value): string {
  return visible(rawFieldChange(before, after));
}

function rawFieldChange(before: Value | undefined, after: Value): string {
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = new Set(before.map(String));
    const a = new Set(after.map(String));
    const added = [...a].filter((x) => !b.has(x));
    const removed = [...b].filter((x) => !a.has(x));
    return [added.length ? `+[${added.join(', ')}]` : '', removed.length ? `-[${removed.join(', ')}]` : ''].filter(Boolean).join(' ');
  }
  if (typeof before === 'string' && typeof after === 'string' && (before.length > LONG || after.length > LONG)) {
    return wordDiff()(before, after).map((part) => (part.added ? `{+${part.value}+}` : part.removed ? `[-${part.value}-]` : part.value)).join('');
  }
  return `${formatValue(before)} → ${formatValue(after)}`;
}

/** One field of an update; a field the API does not read back says what its `before` rests on. */
export function fieldChangeText(f: FieldChange): string {
  if (!f.basis) return formatFieldChange(f.before, f.after);
  return `${f.before === undefined ? `(not read back) → ${formatValue(f.after)}` : formatFieldChange(f.before, f.after)}  (${f.basis})`;
}
