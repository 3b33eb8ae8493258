import { census, summarize } from '../core/compute-plan.js';
import type { Change, Diagnostic, Plan } from '../core/types.js';
import type { Attribution } from '../core/attribution.js';
import { attributionMarkdown } from './attribution.js';
import { markdownText, visible } from './escape.js';
import { addressLabel, byKind, failedLine, kindTitle, label, newParentsOf, SYMBOLS, unverifiedChanges, unverifiedSentence } from './labels.js';
import { datedCounts, notDueSentence, scheduledMarkdown, terminateFieldLines, terminationsMarkdown, TERMINATE_WORDS } from './plan-dated.js';
import { fieldChangeText, formatFieldLines } from './values.js';
import { formatLocation } from '../core/diagnostics.js';
import { hierarchyMarkdown } from './hierarchy-plan.js';

/** Hidden marker a CI job uses to find and update its one pull-request comment. */
export const COMMENT_MARKER = '<!-- downline-plan -->';
export const MARKDOWN_LIMIT = 60_000;

function changeBlock(change: Change, parentsOf: (c: Change) => string[]): string {
  const parents = parentsOf(change);
  const lines = [`${SYMBOLS[change.action]} ${label(change)}${parents.length ? `  (under new ${parents.join(', ')})` : ''}`];
  switch (change.action) {
    case 'create':
      for (const [k, v] of Object.entries(change.after ?? {})) lines.push(...formatFieldLines(k, v).map((l) => `+     ${l}`));
      break;
    case 'delete':
      for (const [k, v] of Object.entries(change.before ?? {})) lines.push(...formatFieldLines(k, v).map((l) => `-     ${l}`));
      break;
    case 'update':
      for (const f of change.fields) lines.push(`!     ${f.field}: ${fieldChangeText(f)}`);
      break;
    case 'terminate':
      // `-` lines: GitHub's diff colouring shows a termination in red, like the contract it ends.
      lines.push(`-     ${TERMINATE_WORDS}`, ...terminateFieldLines(change).map((l) => `-     ${l}`));
      break;
    case 'noop':
      break;
  }
  for (const note of change.notes) lines.push(`#     ${visible(note)}`);
  return lines.join('\n');
}

/** A location or address as inline code: controls visible, and no backtick can end the span early. */
const codeSpan = (text: string) => `\`${visible(text).replace(/`/g, "'")}\``;

function diagnosticText(d: Diagnostic): string {
  const where = d.source ? `${codeSpan(formatLocation(d.source))} ` : d.address ? `${codeSpan(d.address)} ` : '';
  return markdownText(`${d.message}${d.hint ? ` (${d.hint})` : ''}`).replace(/^/, where);
}

function warningsMarkdown(plan: Plan): string[] {
  const warnings = plan.diagnostics.filter((d) => d.severity === 'warning');
  return warnings.length ? [`> [!NOTE]\n> ${warnings.length} warning(s):`, ...warnings.slice(0, 20).map((d) => `> - ${diagnosticText(d)}`), ''] : [];
}

/**
 * A pull-request comment: summary first, one collapsible section per kind, and never more than
 * 60,000 characters — past that, sections are cut with a note pointing at the JSON plan.
 */
export function renderPlanMarkdown(plan: Plan, options: { verbose: boolean; drift?: boolean; env?: string; since?: string; blocked?: string[]; attributions?: readonly Attribution[] }): string {
  const s = summarize(plan);
  const head: string[] = [COMMENT_MARKER, `### downline plan${options.env ? ` (${options.env})` : ''}`, ''];
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  // An errored plan is not a plan: the errors, and no counts a reviewer could take for the outcome.
  if (errors.length) {
    head.push(`> [!CAUTION]\n> **${failedLine(plan)}**`, '', ...errors.slice(0, 50).map((d) => `- ${diagnosticText(d)}`));
    if (errors.length > 50) head.push(`- … and ${errors.length - 50} more`);
    // The warnings stay: the text and JSON plans keep them, and a fix of the errors will not clear them.
    head.push('', ...warningsMarkdown(plan));
    return `${head.join('\n').trimEnd()}\n`;
  }
  head.push(`**${s.create} to create, ${s.update} to update, ${s.delete} to delete${datedCounts(plan)}**, ${s.unmanaged} unmanaged, ${s.noop} unchanged${s.unverified ? `, **${s.unverified} not verified**` : ''}.`, '');
  const notDue = notDueSentence(plan);
  if (notDue) head.push(`> [!NOTE]\n> ${notDue}`, '');
  if (options.blocked?.length) head.push(`> [!CAUTION]\n> **Blocked:** ${options.blocked.join('; ')}. Apply would refuse this plan (nothing would be written) unless run with \`--force\`.`, '');
  if (s.delete > 0) head.push(`> [!WARNING]\n> This plan **deletes ${s.delete} object(s)**: review the sections below.`, '');
  head.push(...terminationsMarkdown(plan));
  if (options.drift && s.update > 0) {
    const who = attributionMarkdown(plan, options.attributions ?? []);
    head.push(`> [!CAUTION]\n> **Drift:** ${s.update} object(s) differ from the config — someone changed the account outside git.${who.length ? `\n>\n${who.join('\n')}` : ''}`, '');
  }
  head.push(...warningsMarkdown(plan));
  const groups = byKind(plan, options.verbose);
  if (groups.length > 0) {
    // The terminate column appears when the plan ends contracts, so dateless plans read as before.
    const terminating = s.terminate > 0;
    head.push(`| kind | create | update | delete |${terminating ? ' terminate |' : ''}`, `| --- | ---: | ---: | ---: |${terminating ? ' ---: |' : ''}`);
    for (const g of groups) {
      const n = (a: Change['action']) => census(plan).kinds[g.kind]?.actions[a] ?? 0;
      head.push(`| ${kindTitle(g.kind)} | ${n('create')} | ${n('update')} | ${n('delete')} |${terminating ? ` ${n('terminate')} |` : ''}`);
    }
    head.push('');
  } else if (s.unverified === 0) {
    head.push(notDue ? `Nothing is due${s.scheduled ? `; ${s.scheduled} change(s) wait for their date (Scheduled, below)` : ''}.` : `No changes. The live account matches the config${s.scheduled ? `; ${s.scheduled} change(s) wait for their date (Scheduled, below)` : ''}.`, '');
  }
  // Never "matches" while declared fields are unverified: say so where the verdict would be.
  if (s.unverified > 0) head.push(`> [!IMPORTANT]\n> ${groups.length === 0 ? 'Nothing to write in the fields downline can read back. ' : ''}${unverifiedSentence(s.unverified, options.since)}`, '');

  const footer: string[] = [...scheduledMarkdown(plan)];
  if (plan.unmanaged.length > 0) {
    footer.push(`<details><summary>Unmanaged: ${plan.unmanaged.length} live object(s) not in the config (never touched)</summary>`, '', ...plan.unmanaged.slice(0, 200).map((u) => `- ${markdownText(addressLabel(u.address))}`));
    if (plan.unmanaged.length > 200) footer.push(`- … and ${plan.unmanaged.length - 200} more`);
    footer.push('', '</details>', '');
  }
  const unverified = unverifiedChanges(plan);
  if (unverified.length > 0) {
    footer.push(`<details><summary>Not verified: ${unverified.length} object(s) with declared fields the API does not read back</summary>`, '', ...unverified.slice(0, 200).map((c) => `- ${markdownText(label(c))}: ${c.unverified!.map((f) => `\`${f}\``).join(', ')}`));
    if (unverified.length > 200) footer.push(`- … and ${unverified.length - 200} more`);
    footer.push('', '</details>', '');
  }

  let budget = MARKDOWN_LIMIT - head.join('\n').length - footer.join('\n').length - 400;
  // The hierarchy charts come first (reviewers read the picture), with at most a third of the room.
  const hierarchy = hierarchyMarkdown(plan, Math.floor(budget / 3));
  budget -= hierarchy.length;
  const sections: string[] = hierarchy ? [hierarchy] : [];
  const parentsOf = newParentsOf(plan);
  let omitted = 0;
  for (const g of groups) {
    const open = `<details><summary>${kindTitle(g.kind)} (${g.changes.length})</summary>\n\n\`\`\`diff\n`;
    const close = '```\n\n</details>\n';
    budget -= open.length + close.length;
    const blocks: string[] = [];
    for (const change of g.changes) {
      const block = `${changeBlock(change, parentsOf)}\n`;
      if (budget - block.length < 0) {
        omitted += 1;
        continue;
      }
      budget -= block.length;
      blocks.push(block);
    }
    if (blocks.length > 0) sections.push(open + blocks.join('') + close);
  }
  if (omitted > 0) sections.push(`> **Truncated:** ${omitted} change(s) not shown to stay under ${MARKDOWN_LIMIT.toLocaleString('en-US')} characters. The full plan is in the JSON plan (\`downline plan --format json\` or the saved \`--out\` file).\n`);
  return `${[...head, ...sections, ...footer].join('\n').trimEnd()}\n`;
}
