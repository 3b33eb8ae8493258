import { summarize } from '../core/compute-plan.js';
import type { Change, Plan } from '../core/types.js';
import { markdownText, visible } from './escape.js';
import { hierarchyMarkdown } from './hierarchy-plan.js';
import { addressLabel, byKind, KIND_TITLES, label, newParentsOf, SYMBOLS } from './labels.js';
import { formatFieldChange, formatValue } from './values.js';

/** Hidden marker a CI job uses to find and update its one pull-request comment. */
export const COMMENT_MARKER = '<!-- downline-plan -->';
export const MARKDOWN_LIMIT = 60_000;

function changeBlock(change: Change, parentsOf: (c: Change) => string[]): string {
  const parents = parentsOf(change);
  const lines = [`${SYMBOLS[change.action]} ${label(change)}${parents.length ? `  (under new ${parents.join(', ')})` : ''}`];
  if (change.action === 'create') for (const [k, v] of Object.entries(change.after ?? {})) lines.push(`+     ${k}: ${formatValue(v)}`);
  if (change.action === 'update') for (const f of change.fields) lines.push(`!     ${f.field}: ${formatFieldChange(f.before, f.after)}`);
  for (const note of change.notes) lines.push(`#     ${visible(note)}`);
  return lines.join('\n');
}

/**
 * A pull-request comment: summary first, one collapsible section per kind, and never more than
 * 60,000 characters — past that, sections are cut with a note pointing at the JSON plan.
 */
export function renderPlanMarkdown(plan: Plan, options: { verbose: boolean; drift?: boolean; env?: string }): string {
  const s = summarize(plan);
  const head: string[] = [COMMENT_MARKER, `### downline plan${options.env ? ` (${options.env})` : ''}`, ''];
  head.push(`**${s.create} to create, ${s.update} to update, ${s.delete} to delete**, ${s.unmanaged} unmanaged, ${s.noop} unchanged.`, '');
  if (s.delete > 0) head.push(`> [!WARNING]\n> This plan **deletes ${s.delete} object(s)**: review the sections below.`, '');
  const updates = plan.changes.filter((c) => c.action === 'update');
  if (options.drift && updates.length > 0) head.push(`> [!CAUTION]\n> **Drift:** ${updates.length} object(s) differ from the config — someone changed the account outside git.`, '');
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) head.push(`> [!CAUTION]\n> ${errors.length} error(s): ${errors.slice(0, 5).map((d) => markdownText(d.message)).join('; ')}`, '');
  const groups = byKind(plan, options.verbose);
  if (groups.length > 0) {
    head.push('| kind | create | update | delete |', '| --- | ---: | ---: | ---: |');
    for (const g of groups) {
      const n = (a: Change['action']) => g.changes.filter((c) => c.action === a).length;
      head.push(`| ${KIND_TITLES[g.kind]} | ${n('create')} | ${n('update')} | ${n('delete')} |`);
    }
    head.push('');
  } else {
    head.push('No changes. The live account matches the config.', '');
  }

  const footer: string[] = [];
  if (plan.unmanaged.length > 0) {
    footer.push(`<details><summary>Unmanaged: ${plan.unmanaged.length} live object(s) not in the config (never touched)</summary>`, '', ...plan.unmanaged.slice(0, 200).map((u) => `- ${markdownText(addressLabel(u.address))}`));
    if (plan.unmanaged.length > 200) footer.push(`- … and ${plan.unmanaged.length - 200} more`);
    footer.push('', '</details>', '');
  }
  if (plan.uncomparable.length > 0) footer.push(`<sub>Not compared (not read back by the API): ${plan.uncomparable.map((u) => `\`${u.kind}.${u.field}\``).join(', ')}</sub>`, '');

  let budget = MARKDOWN_LIMIT - head.join('\n').length - footer.join('\n').length - 400;
  // The hierarchy charts come first (reviewers read the picture), with at most a third of the room.
  const hierarchy = hierarchyMarkdown(plan, Math.floor(budget / 3));
  budget -= hierarchy.length;
  const sections: string[] = hierarchy ? [hierarchy] : [];
  const parentsOf = newParentsOf(plan);
  let omitted = 0;
  for (const g of groups) {
    const open = `<details><summary>${KIND_TITLES[g.kind]} (${g.changes.length})</summary>\n\n\`\`\`diff\n`;
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
