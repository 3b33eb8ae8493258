import { census, summarize } from '../core/compute-plan.js';
import type { Change, Plan, ScheduledChange } from '../core/types.js';
import { label } from './labels.js';
import type { Style } from './style.js';
import { fieldChangeText, formatValue } from './values.js';

/**
 * Offboarding and dates in a plan (SPEC §11, §12): the terminate action's wording, and the
 * *Scheduled* section — changes that wait for their date, shown with it, never executed.
 */

/** How a termination reads beside its name: it ends the contract, it does not remove it. */
export const TERMINATE_WORDS = '(terminate: ended, kept in the hierarchy history)';

/** "scheduled 2027-01-01: commission level "Acme / Term / Street" firstYearValue 80 → 82.5" */
export function scheduledLine(s: ScheduledChange): string {
  const what = s.action === 'create' ? 'created' : s.action === 'terminate' ? 'terminated' : '';
  const fields = s.action === 'update' || s.action === 'terminate' ? s.fields.map((f) => `${f.field} ${fieldChangeText(f)}`).join(', ') : '';
  const created = s.action === 'create' ? Object.entries(s.after).map(([k, v]) => `${k} ${formatValue(v)}`).join(', ') : '';
  return `scheduled ${s.date}: ${label(s)}${what ? ` ${what}` : ''}${fields || created ? ` — ${fields || created}` : ''}${s.reason === 'until' ? ' (until)' : ''}`;
}

const byDate = (plan: Plan): ScheduledChange[] => [...(plan.scheduled ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

/** The text plan's *Scheduled* section (empty when nothing waits). */
export function scheduledText(plan: Plan, style: Style): string[] {
  const scheduled = byDate(plan);
  if (scheduled.length === 0) return [];
  return [style.bold('Scheduled (not applied before their date)'), ...scheduled.map((s) => style.note(`  ${scheduledLine(s)}`)), ''];
}

/** The markdown plan's *Scheduled* section, collapsible like the others. */
export function scheduledMarkdown(plan: Plan): string[] {
  const scheduled = byDate(plan);
  if (scheduled.length === 0) return [];
  // A code block, like the change sections: names are escaped by `visible` and cannot start a line (or end the fence).
  const lines = scheduled.slice(0, 200).map((s) => scheduledLine(s));
  if (scheduled.length > 200) lines.push(`… and ${scheduled.length - 200} more`);
  return [`<details><summary>Scheduled: ${scheduled.length} change(s) waiting for their date (not applied now)</summary>`, '', '```text', ...lines, '```', '', '</details>', ''];
}

/** The summary counts a plan adds only when it has them, so dateless plans read as before. */
export function datedCounts(plan: Plan): string {
  const s = summarize(plan);
  return `${s.terminate ? `, ${s.terminate} to terminate` : ''}${s.notDue ? `, ${s.notDue} not due` : ''}${s.scheduled ? `, ${s.scheduled} scheduled` : ''}`;
}

/** An `--only-due` plan says what it left out, so nobody reads it as the whole difference. */
export function notDueSentence(plan: Plan): string | undefined {
  return plan.notDue ? `${plan.notDue} change(s) not due are left out (plan without --only-due to see them).` : undefined;
}

/** The text plan's closing warning about terminations, beside the one about deletes. */
export function terminationsSentence(plan: Plan): string | undefined {
  const n = census(plan).actions.terminate;
  return n ? `Terminations: ${n} contract assignment(s) will be ended (status, end date), not deleted.` : undefined;
}

/** The markdown plan's warning block about terminations. */
export function terminationsMarkdown(plan: Plan): string[] {
  const n = census(plan).actions.terminate;
  return n ? [`> [!WARNING]\n> This plan **terminates ${n} contract assignment(s)**: they end (status, end date) and stay in the hierarchy history; review the Contract assignments section.`, ''] : [];
}

/** Field lines of a termination: what changes, as for an update. */
export function terminateFieldLines(change: Change): string[] {
  return change.fields.map((f) => `${f.field}: ${fieldChangeText(f)}`);
}
