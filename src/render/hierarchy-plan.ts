import { productTrees, type PlannedPosition, type PositionChange, type ProductTree } from '../core/hierarchy-plan.js';
import type { Plan } from '../core/types.js';
import { markdownText, mermaidText, visible } from './escape.js';
import type { Style } from './style.js';
import { quotedPath } from '../core/address.js';

/** Charts larger than this draw only the positions around the changes (GitHub renders big charts poorly). */
export const MERMAID_MAX_NODES = 200;

/** Position changes listed per product in the text plan; the rows above already list every change. */
export const TEXT_MAX_LINES = 100;

const where = (npn: string | null) => (npn === null ? 'the top' : npn);

/** One position change in words: "moved 301 from 200 to 201". */
export function describePositionChange(c: PositionChange): string {
  switch (c.change) {
    case 'new': return c.to === null ? `new ${c.npn} at the top` : `new ${c.npn} under ${c.to}`;
    case 'moved': return `moved ${c.npn} from ${where(c.from)} to ${where(c.to)}`;
    case 'terminated': return `terminated ${c.npn}${c.from === null ? '' : ` (under ${c.from})`}`;
    case 'removed': return `removed ${c.npn}${c.from === null ? '' : ` (was under ${c.from})`}`;
  }
}

const SYMBOL: Record<PositionChange['change'], string> = { new: '+', moved: '~', terminated: '-', removed: '-' };

/** The text plan's *Hierarchy* section (empty when no position changes). */
export function hierarchyTextLines(plan: Plan, style: Style): string[] {
  const trees = productTrees(plan);
  if (trees.length === 0) return [];
  const out = [style.bold('Hierarchy')];
  for (const t of trees) {
    out.push(`  ${visible(quotedPath([t.carrier, t.product]))}`);
    for (const c of t.changes.slice(0, TEXT_MAX_LINES)) {
      const line = `    ${SYMBOL[c.change]} ${visible(describePositionChange(c))}`;
      out.push(c.change === 'new' ? style.create(line) : c.change === 'moved' ? style.update(line) : style.remove(line));
    }
    if (t.changes.length > TEXT_MAX_LINES) out.push(style.note(`    … and ${t.changes.length - TEXT_MAX_LINES} more position change(s) on this product (the JSON plan's hierarchy lists every one)`));
  }
  out.push('');
  return out;
}

/** The positions a large chart keeps: the changed ones, their chains of uplines (old and new) and their direct downlines. */
function around(tree: ProductTree): { shown: PlannedPosition[]; total: number } {
  const byNpn = new Map(tree.positions.map((p) => [p.npn, p]));
  const keep = new Set<string>();
  const climb = (npn: string | null | undefined) => {
    for (let n = npn; n && !keep.has(n); n = byNpn.get(n)?.upline) keep.add(n);
  };
  for (const p of tree.positions) {
    if (!p.change) continue;
    climb(p.npn);
    climb(p.previousUpline);
  }
  for (const p of tree.positions) if (p.upline && byNpn.get(p.upline)?.change && keep.size < MERMAID_MAX_NODES) keep.add(p.npn);
  const shown = tree.positions.filter((p) => keep.has(p.npn)).slice(0, MERMAID_MAX_NODES);
  return { shown, total: tree.positions.length };
}

const id = (npn: string) => `n${npn}`;

/** One product's tree as a Mermaid `flowchart TD`: new, moved and terminated positions styled apart, a move's new edge thick and its old edge dashed. */
export function mermaidChart(tree: ProductTree): { chart: string; note?: string } {
  const all = tree.positions.length > MERMAID_MAX_NODES ? around(tree) : { shown: tree.positions, total: tree.positions.length };
  const shown = new Set(all.shown.map((p) => p.npn));
  const lines = ['flowchart TD',
    '  classDef new fill:#dafbe1,stroke:#1a7f37,stroke-width:2px',
    '  classDef moved fill:#fff8c5,stroke:#9a6700,stroke-width:2px',
    '  classDef terminated fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:4 3'];
  const declared = new Set<string>();
  const node = (npn: string, level?: string) => {
    if (declared.has(npn)) return;
    declared.add(npn);
    lines.push(`  ${id(npn)}["${mermaidText(level ? `${npn} (${level})` : npn)}"]`);
  };
  for (const p of all.shown) node(p.npn, p.level);
  for (const p of all.shown) {
    if (p.upline !== null && p.change !== 'removed') {
      node(p.upline);
      lines.push(p.change === 'moved' ? `  ${id(p.upline)} ==>|moved here| ${id(p.npn)}` : `  ${id(p.upline)} --> ${id(p.npn)}`);
    }
    const old = p.change === 'removed' ? p.upline : p.change === 'moved' ? p.previousUpline : null;
    if (old) {
      node(old);
      lines.push(`  ${id(old)} -.->|${p.change === 'moved' ? 'was' : 'removed'}| ${id(p.npn)}`);
    }
  }
  for (const kind of ['new', 'moved', 'terminated'] as const) {
    const members = all.shown.filter((p) => (kind === 'terminated' ? p.change === 'terminated' || p.change === 'removed' : p.change === kind)).map((p) => id(p.npn));
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${kind}`);
  }
  const note = shown.size < all.total ? `${all.total} positions on this product: only the ${shown.size} around the changes are drawn.` : undefined;
  return { chart: lines.join('\n'), ...(note ? { note } : {}) };
}

/** The markdown plan's hierarchy section: per affected product, its chart and the changes in words; at most `budget` characters. */
export function hierarchyMarkdown(plan: Plan, budget: number): string {
  const trees = productTrees(plan);
  if (trees.length === 0) return '';
  const count = trees.reduce((n, t) => n + t.changes.length, 0);
  const parts: string[] = [];
  let left = budget - 200;
  let omitted = 0;
  for (const t of trees) {
    const { chart, note } = mermaidChart(t);
    const part = [`**${markdownText(quotedPath([t.carrier, t.product]))}**`, '', '```mermaid', chart, '```', '',
      ...(note ? [`<sub>${markdownText(note)}</sub>`, ''] : []),
      ...t.changes.map((c) => `- ${markdownText(describePositionChange(c))}`), ''].join('\n');
    if (part.length > left) {
      omitted += 1;
      continue;
    }
    left -= part.length;
    parts.push(part);
  }
  if (omitted > 0) parts.push(`> **Truncated:** the charts of ${omitted} product(s) are not shown; the JSON plan's \`hierarchy\` lists every position change.\n`);
  return `<details open><summary>Hierarchy (${count} position change${count === 1 ? '' : 's'})</summary>\n\n${parts.join('\n')}\n</details>\n`;
}
