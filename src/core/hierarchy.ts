/**
 * The Hierarchies API returns a flat node list; this rebuilds the upline tree and reads lifecycle
 * events out of the changelog, as the hierarchy quick-start describes. Pure.
 */
export interface HierarchyNode {
  contractAssignmentId: string;
  contractAssignmentChangeId: string;
  uplineContractAssignmentChangeId: string | null;
  producerName: string | null;
  productName?: string | null;
  commissionLevelName: string | null;
  level?: number | null;
  stateAbbreviations?: string[];
  assignmentStatusName?: string | null;
  active?: boolean;
  path?: string[];
}

export interface TreeNode {
  node: HierarchyNode;
  children: TreeNode[];
}

const byName = (a: TreeNode, b: TreeNode) => String(a.node.producerName ?? '').localeCompare(String(b.node.producerName ?? '')) || a.node.contractAssignmentChangeId.localeCompare(b.node.contractAssignmentChangeId);

/** Roots are nodes without an upline (or whose upline is outside the list, e.g. a person view). */
export function buildTree(nodes: HierarchyNode[]): TreeNode[] {
  const byId = new Map(nodes.map((n) => [n.contractAssignmentChangeId, { node: n, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const entry of byId.values()) {
    const parent = entry.node.uplineContractAssignmentChangeId ? byId.get(entry.node.uplineContractAssignmentChangeId) : undefined;
    // A cycle in bad data must not hang the renderer: a node whose path does not contain its parent is a root.
    if (parent && parent !== entry) parent.children.push(entry);
    else roots.push(entry);
  }
  const sort = (list: TreeNode[], seen: Set<TreeNode>) => {
    list.sort(byName);
    for (const t of list) {
      if (seen.has(t)) continue;
      seen.add(t);
      sort(t.children, seen);
    }
  };
  sort(roots, new Set());
  return roots;
}

export interface ChangelogEntry {
  contractAssignmentChangeId: string;
  contractAssignmentId: string;
  contractAssignmentDisplayNumber?: string | null;
  producerName: string | null;
  uplineName: string | null;
  commissionLevelName: string | null;
  contractAssignmentChangeAssignmentStatusName?: string | null;
  contractAssignmentAssignmentStatusName?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  modifiedDate: string;
  /** Who made the change, as the changelog names them. */
  modifiedByName?: string | null;
}

export type LifecycleType = 'producer-added' | 'upline-changed' | 'commission-level-changed' | 'terminated' | 'pending';

export interface LifecycleEvent {
  type: LifecycleType;
  contractAssignmentId: string;
  displayNumber: string | null;
  producerName: string | null;
  modifiedDate: string;
  from?: string | null;
  to?: string | null;
}

const TERMINAL = /^(terminated|terminated for cause|cancelled|canceled|declined|released|resigned|deceased|rejected|expired|withdrawn)$/i;

/** Lifecycle events with modifiedDate on or after `since`, per the quick-start's detection table. */
export function lifecycleEvents(entries: ChangelogEntry[], since: string): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  const byAssignment = new Map<string, ChangelogEntry[]>();
  for (const e of entries) byAssignment.set(e.contractAssignmentId, [...(byAssignment.get(e.contractAssignmentId) ?? []), e]);
  for (const list of byAssignment.values()) {
    list.sort((a, b) => a.modifiedDate.localeCompare(b.modifiedDate));
    list.forEach((entry, i) => {
      if (entry.modifiedDate.slice(0, 10) < since) return;
      const prior = list[i - 1];
      const base = { contractAssignmentId: entry.contractAssignmentId, displayNumber: entry.contractAssignmentDisplayNumber ?? null, producerName: entry.producerName, modifiedDate: entry.modifiedDate };
      if (!prior) events.push({ ...base, type: 'producer-added' });
      else {
        if (prior.uplineName !== entry.uplineName) events.push({ ...base, type: 'upline-changed', from: prior.uplineName, to: entry.uplineName });
        if (prior.commissionLevelName !== entry.commissionLevelName) events.push({ ...base, type: 'commission-level-changed', from: prior.commissionLevelName, to: entry.commissionLevelName });
      }
      const status = entry.contractAssignmentChangeAssignmentStatusName ?? '';
      const last = i === list.length - 1;
      if (TERMINAL.test(status) || (last && entry.endDate)) events.push({ ...base, type: 'terminated', to: status || null });
      // An event is a change: an edit of the upline or level that leaves a pending status as it was is not "pending" again.
      else if (/^pending/i.test(status) && (prior?.contractAssignmentChangeAssignmentStatusName ?? '') !== status) events.push({ ...base, type: 'pending', to: status });
    });
  }
  return events.sort((a, b) => a.modifiedDate.localeCompare(b.modifiedDate) || a.contractAssignmentId.localeCompare(b.contractAssignmentId));
}
