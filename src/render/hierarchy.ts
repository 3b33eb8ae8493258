import type { LifecycleEvent, TreeNode } from '../core/hierarchy.js';
import { visible } from './escape.js';

const WORDS: Record<LifecycleEvent['type'], string> = {
  'producer-added': 'producer added', 'upline-changed': 'upline changed', 'commission-level-changed': 'commission level changed', terminated: 'terminated', pending: 'pending',
};

function line(t: TreeNode): string {
  const n = t.node;
  const level = n.level !== undefined && n.level !== null ? ` (${n.level})` : '';
  const states = n.stateAbbreviations?.length ? ` · ${n.stateAbbreviations.join(', ')}` : '';
  const status = n.assignmentStatusName ? ` · ${n.assignmentStatusName}` : '';
  return visible(`${n.producerName ?? n.contractAssignmentId} — ${n.commissionLevelName ?? '?'}${level}${states}${status}${n.active === false ? ' [inactive]' : ''}`);
}

/** An upline tree as box-drawing text, one section per product. */
export function renderTree(sections: Array<{ title: string; roots: TreeNode[] }>): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(visible(section.title));
    const walk = (nodes: TreeNode[], prefix: string, seen: Set<TreeNode>) => {
      nodes.forEach((t, i) => {
        const last = i === nodes.length - 1;
        out.push(`${prefix}${last ? '└─ ' : '├─ '}${line(t)}`);
        if (!seen.has(t)) walk(t.children, `${prefix}${last ? '   ' : '│  '}`, new Set([...seen, t]));
      });
    };
    walk(section.roots, '', new Set());
    if (section.roots.length === 0) out.push('  (no positions)');
    out.push('');
  }
  return `${out.join('\n')}`;
}

export function renderEvents(events: Array<LifecycleEvent & { productName?: string }>): string {
  if (events.length === 0) return 'No lifecycle events.\n';
  return `${events.map((e) => {
    const change = e.from !== undefined || e.to ? `: ${e.from !== undefined ? `${e.from ?? '(none)'} → ` : ''}${e.to ?? ''}` : '';
    return visible(`${e.modifiedDate.slice(0, 10)}  ${WORDS[e.type].padEnd(25)} ${e.producerName ?? e.contractAssignmentId}${e.displayNumber ? ` (${e.displayNumber})` : ''}${e.productName ? ` on ${e.productName}` : ''}${change}`);
  }).join('\n')}\n`;
}
