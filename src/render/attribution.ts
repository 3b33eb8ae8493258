import type { Attribution } from '../core/attribution.js';
import { markdownText, visible } from './escape.js';
import { addressLabel } from './labels.js';

/** "changed by Jane Admin on 2026-03-01" — the changelog's own name and the day of its modifiedDate. */
function who(a: Attribution): string {
  if (a.modifiedByName === null && a.modifiedDate === null) return 'who and when unknown (no changelog entry for it)';
  return `changed by ${a.modifiedByName ?? 'an unnamed user'}${a.modifiedDate ? ` on ${a.modifiedDate.slice(0, 10)}` : ''}`;
}

/** One line per drifted assignment, for the terminal (live names escaped). */
export function attributionLines(attributions: readonly Attribution[]): string[] {
  return attributions.map((a) => `  ~ ${addressLabel(a.address)} (${a.fields.join(', ')}): ${visible(who(a))}`);
}

/** The same as a markdown list inside the drift callout (a `> ` quote), escaped as prose. */
export function attributionMarkdown(attributions: readonly Attribution[]): string[] {
  return attributions.map((a) => `> - ${markdownText(`${addressLabel(a.address)} (${a.fields.join(', ')}): ${who(a)}`)}`);
}
