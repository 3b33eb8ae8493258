import { diffWordsWithSpace } from 'diff';
import { ALL_DIVISIONS } from '../core/desired.js';
import type { Value } from '../core/types.js';
import { visible } from './escape.js';

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

function formatObject(value: Value): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.values(value).map((v) => (typeof v === 'string' ? v : formatValue(v))).join(' / ');
  return formatValue(value);
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
    return diffWordsWithSpace(before, after).map((part) => (part.added ? `{+${part.value}+}` : part.removed ? `[-${part.value}-]` : part.value)).join('');
  }
  return `${formatValue(before)} → ${formatValue(after)}`;
}
