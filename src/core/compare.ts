import type { FieldChange, Value, View } from './types.js';

/** How a field compares: code/id lists as sets, amounts numerically (55 = 55.00), the rest exactly. */
export type Comparator = 'set' | 'number' | 'exact';

export function valuesEqual(desired: Value, live: unknown, how: Comparator): boolean {
  if (how === 'set') {
    if (!Array.isArray(desired) || !Array.isArray(live)) return false;
    const a = new Set(desired.map(String));
    const b = new Set(live.map(String));
    return a.size === b.size && [...a].every((x) => b.has(x));
  }
  if (how === 'number') return live !== null && live !== undefined && Number(desired) === Number(live);
  return desired === live;
}

/**
 * Compare only the fields the config declares. A field the live object does not carry at all is
 * reported as unreadable instead of as a change that could never converge.
 */
export function compareViews(desired: View, live: Record<string, unknown>, comparators: Record<string, Comparator>): { fields: FieldChange[]; unreadable: string[] } {
  const fields: FieldChange[] = [];
  const unreadable: string[] = [];
  for (const field in desired) {
    const value = desired[field];
    if (!(field in live) || live[field] === undefined) {
      unreadable.push(field);
      continue;
    }
    if (!valuesEqual(value, live[field], comparators[field] ?? 'exact')) {
      fields.push({ field, before: live[field] as Value, after: value });
    }
  }
  return { fields, unreadable };
}
