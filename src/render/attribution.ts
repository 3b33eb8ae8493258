import type { Attribution } from '../core/attribution.js';
import { census } from '../core/compute-plan.js';
import type { Plan } from '../core/types.js';
import { markdownText, visible } from './escape.js';
import { addressLabel } from './labels.js';

/** "changed by Jane Admin on 2026-03-01" — the changelog's own name and the day of its modifiedDate. */
function who(a: Attribution): string {
  if (a.modifiedByName === null && a.modifiedDate === null) return 'who and when unknown (no changelog entry for it)';
  return `changed by ${a.modifiedByName ?? 'an unnamed user'}${a.modifiedDate ? ` on ${a.modifiedDate.slice(0, 10)}` : ''}`;
}

/**
 * Every drifted object, so the list holds as many as the Drift header counts: the assignments with
 * who changed them (or nothing, with a warning, when the changelog could not be read), then the
 * updates of kinds no changelog covers (carriers, products, levels), without names.
 */
function driftEntries(plan: Plan, attributions: readonly Attribution[]): Array<{ text: string }> {
  const named = new Set(attributions.map((a) => `${a.address.kind}.${a.address.key}`));
  // The census is counted once per plan: the change list is walked only when such an update exists.
  const others = Object.entries(census(plan).kinds).some(([kind, counts]) => kind !== 'assignment' && (counts?.actions.update ?? 0) > 0);
  const unnamed = others ? plan.changes.filter((c) => c.action === 'update' && c.address.kind !== 'assignment' && !named.has(`${c.address.kind}.${c.address.key}`)) : [];
  return [
    ...attributions.map((a) => ({ text: `${addressLabel(a.address)} (${a.fields.join(', ')}): ${who(a)}` })),
    ...unnamed.map((c) => ({ text: `${addressLabel(c.address)} (${c.fields.map((f) => f.field).join(', ')}): no changelog for this kind, so who and when are unknown` })),
  ];
}

/** One line per drifted object, for the terminal (live names escaped). */
export function attributionLines(plan: Plan, attributions: readonly Attribution[]): string[] {
  return driftEntries(plan, attributions).map((e) => `  ~ ${visible(e.text)}`);
}

/** The same as a markdown list inside the drift callout (a `> ` quote), escaped as prose. */
export function attributionMarkdown(plan: Plan, attributions: readonly Attribution[]): string[] {
  return driftEntries(plan, attributions).map((e) => `> - ${markdownText(e.text)}`);
}
