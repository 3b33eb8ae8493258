import type { Change, Plan } from '../core/types.js';
import { renderDiagnosticsText } from './diagnostics.js';
import { hierarchyTextLines } from './hierarchy-plan.js';
import { visible } from './escape.js';
import { addressLabel, byKind, KIND_TITLES, label, newParentsOf, summaryLine, SYMBOLS } from './labels.js';
import type { Style } from './style.js';
import { formatFieldChange, formatValue } from './values.js';

export interface TextOptions {
  verbose: boolean;
  /** Scheduled drift checks word updates as drift. */
  drift?: boolean;
}

function paint(change: Change, style: Style, text: string): string {
  return change.action === 'create' ? style.create(text) : change.action === 'update' ? style.update(text) : change.action === 'delete' ? style.remove(text) : text;
}

function changeLines(change: Change, parentsOf: (c: Change) => string[], style: Style): string[] {
  const parents = parentsOf(change);
  const head = `  ${paint(change, style, `${SYMBOLS[change.action]} ${label(change)}`)}${parents.length ? style.note(`  (under new ${parents.join(', ')})`) : ''}${change.action === 'delete' ? style.remove('  (delete)') : ''}`;
  const lines = [head];
  if (change.action === 'create') {
    for (const [field, value] of Object.entries(change.after ?? {})) lines.push(`      ${field}: ${formatValue(value)}`);
  } else if (change.action === 'update') {
    for (const f of change.fields) lines.push(`      ${field(f.field, style)}: ${formatFieldChange(f.before, f.after)}`);
  }
  for (const note of change.notes) lines.push(style.note(`      # ${visible(note)}`));
  return lines;
}

const field = (name: string, style: Style) => style.update(name);

/** The plan as a person reads it in a terminal: grouped by kind, per-field before → after. */
export function renderPlanText(plan: Plan, style: Style, options: TextOptions): string {
  const out: string[] = [];
  const parentsOf = newParentsOf(plan);
  for (const group of byKind(plan, options.verbose)) {
    out.push(style.bold(KIND_TITLES[group.kind]));
    for (const change of group.changes) out.push(...changeLines(change, parentsOf, style));
    out.push('');
  }
  out.push(...hierarchyTextLines(plan, style));
  const progressed = plan.changes.filter((c) => c.action === 'noop' && c.address.kind === 'assignment' && c.notes.length > 0).length;
  if (progressed > 0 && !options.verbose) out.push(style.note(`${progressed} contract assignment(s) moved on in the contracting workflow; their status is not reverted (--verbose lists them).`), '');
  if (plan.unmanaged.length > 0) {
    out.push(style.bold('Unmanaged (live, not in the config; never touched)'));
    for (const u of plan.unmanaged) out.push(`  ? ${addressLabel(u.address)}`);
    out.push('');
  }
  if (plan.uncomparable.length > 0) {
    out.push(style.note(`Not compared (the API does not read these fields back): ${plan.uncomparable.map((u) => `${u.kind}.${u.field}`).join(', ')}`), '');
  }
  if (plan.diagnostics.length > 0) out.push(renderDiagnosticsText(plan.diagnostics, style));
  const deletes = plan.changes.filter((c) => c.action === 'delete');
  if (deletes.length > 0) {
    const perKind = [...new Set(deletes.map((d) => d.address.kind))].map((k) => `${deletes.filter((d) => d.address.kind === k).length} ${KIND_TITLES[k].toLowerCase()}`);
    out.push(style.remove(`Deletes: ${perKind.join(', ')}.`));
  }
  const updates = plan.changes.filter((c) => c.action === 'update').length;
  if (options.drift && updates > 0) out.push(style.warning(`Drift: ${updates} object(s) differ from the config — changed outside git.`));
  out.push(style.bold(summaryLine(plan)));
  return `${out.join('\n')}\n`;
}
