import { addressKey, type Change, type Plan } from '../core/types.js';
import type { Attribution } from '../core/attribution.js';
import { attributionLines } from './attribution.js';
import { renderDiagnosticsText } from './diagnostics.js';
import { hierarchyTextLines } from './hierarchy-plan.js';
import { visible } from './escape.js';
import { addressLabel, byKind, countOf, failedLine, kindOrder, kindTitle, label, newParentsOf, summaryLine, SYMBOLS, unverifiedChanges, unverifiedSentence } from './labels.js';
import { census } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import type { Style } from './style.js';
import { notDueSentence, scheduledText, terminateFieldLines, terminationsSentence, TERMINATE_WORDS } from './plan-dated.js';
import { fieldChangeText, formatFieldLines } from './values.js';

export interface TextOptions {
  verbose: boolean;
  /** Scheduled drift checks word updates as drift. */
  drift?: boolean;
  /** With drift: who changed each drifted assignment, and when (SPEC §14). */
  attributions?: readonly Attribution[];
  /** `--since REF`: the fields not read back were compared with the config at REF. */
  since?: string;
}

function paint(change: Change, style: Style, text: string): string {
  switch (change.action) {
    case 'create': return style.create(text);
    case 'update': return style.update(text);
    case 'delete': return style.remove(text);
    case 'terminate': return style.remove(text);
    case 'noop': return text;
  }
}

/** The address as `--target` takes it, quoted for a POSIX shell when it needs to be. */
export function targetArgument(change: Pick<Change, 'address'>): string {
  const key = addressKey(change.address);
  return `--target ${/^[\w.@/:+-]+$/.test(key) ? key : `'${key.replace(/'/g, `'\\''`)}'`}`;
}

function changeLines(change: Change, parentsOf: (c: Change) => string[], style: Style, verbose = false): string[] {
  const parents = parentsOf(change);
  const head = `  ${paint(change, style, `${SYMBOLS[change.action]} ${label(change)}`)}${parents.length ? style.note(`  (under new ${parents.join(', ')})`) : ''}${change.action === 'delete' ? style.remove('  (delete)') : change.action === 'terminate' ? style.remove(`  ${TERMINATE_WORDS}`) : ''}`;
  const lines = [head];
  switch (change.action) {
    case 'create':
      for (const [field, value] of Object.entries(change.after ?? {})) lines.push(...formatFieldLines(field, value).map((l) => `      ${l}`));
      break;
    case 'delete':
      // What is about to disappear, so the reviewer sees more than a name.
      for (const [field, value] of Object.entries(change.before ?? {})) lines.push(...formatFieldLines(field, value).map((l) => style.remove(`      ${l}`)));
      break;
    case 'update':
      for (const f of change.fields) lines.push(`      ${field(f.field, style)}: ${fieldChangeText(f)}`);
      break;
    case 'terminate':
      for (const line of terminateFieldLines(change)) lines.push(style.remove(`      ${line}`));
      break;
    case 'noop':
      break;
  }
  for (const note of change.notes) lines.push(style.note(`      # ${visible(note)}`));
  if (verbose) lines.push(style.note(`      # ${targetArgument(change)}`));
  return lines;
}

const field = (name: string, style: Style) => style.update(name);

/** The plan as a person reads it in a terminal: grouped by kind, per-field before → after. */
export function renderPlanText(plan: Plan, style: Style, options: TextOptions): string {
  const out: string[] = [];
  // Problems come first and apart from the changes; an errored plan is not a plan (no summary).
  if (plan.diagnostics.length > 0) out.push(renderDiagnosticsText(plan.diagnostics, style));
  if (hasErrors(plan.diagnostics)) return `${[...out, style.error(failedLine(plan))].join('\n')}\n`;
  const parentsOf = newParentsOf(plan);
  for (const group of byKind(plan, options.verbose)) {
    out.push(style.bold(kindTitle(group.kind)));
    for (const change of group.changes) out.push(...changeLines(change, parentsOf, style, options.verbose));
    out.push('');
  }
  out.push(...hierarchyTextLines(plan, style));
  const counts = census(plan);
  const progressed = counts.progressed;
  if (progressed > 0 && !options.verbose) out.push(style.note(`${progressed} contract assignment(s) moved on in the contracting workflow; their status is not reverted (--verbose lists them).`), '');
  out.push(...scheduledText(plan, style));
  if (plan.unmanaged.length > 0) {
    out.push(style.bold('Unmanaged (live, not in the config; never touched)'));
    for (const u of plan.unmanaged) out.push(`  ? ${addressLabel(u.address)}`);
    out.push('');
  }
  const unverified = unverifiedChanges(plan);
  if (unverified.length > 0) {
    out.push(style.bold('Not verified (declared, but the API does not read these fields back)'));
    for (const c of unverified) out.push(`  ? ${label(c)}: ${c.unverified!.join(', ')}`);
    out.push('');
  }
  if (counts.actions.delete > 0) {
    const perKind = kindOrder().filter((k) => counts.kinds[k]?.actions.delete).map((k) => countOf(k, counts.kinds[k]!.actions.delete));
    out.push(style.remove(`Deletes: ${perKind.join(', ')}.`));
  }
  const terminations = terminationsSentence(plan);
  if (terminations) out.push(style.remove(terminations));
  const updates = counts.actions.update;
  if (options.drift && updates > 0) out.push(style.warning(`Drift: ${updates} object(s) differ from the config — changed outside git.`), ...attributionLines(plan, options.attributions ?? []));
  if (unverified.length > 0) out.push(style.warning(unverifiedSentence(unverified.length, options.since)));
  const notDue = notDueSentence(plan);
  if (notDue) out.push(style.warning(notDue));
  out.push(style.bold(summaryLine(plan)));
  return `${out.join('\n')}\n`;
}
