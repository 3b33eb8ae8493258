/**
 * The declared hierarchy as node lists per product (the shape the Hierarchies API answers, so one
 * tree builder and renderer serve both), optionally marked where the live account differs. Pure.
 */
import { keys } from './desired.js';
import type { Position } from './hierarchy-rules.js';
import type { HierarchyNode } from './hierarchy.js';

export type Difference = 'not live' | 'moved' | 'live only';

export interface DeclaredNode extends HierarchyNode {
  npn: string;
  upline: string | null;
  /** With a live account: how the live position differs (absent = it matches). */
  difference?: Difference;
  /** The live upline, when the position is live. */
  liveUpline?: string | null;
}

export interface ProductNodes {
  carrier: string;
  product: string;
  nodes: DeclaredNode[];
}

const label = (npn: string, difference: Difference | undefined, liveUpline: string | null | undefined): string => {
  switch (difference) {
    case undefined: return npn;
    case 'not live': return `${npn} [+ not live yet]`;
    case 'moved': return `${npn} [~ live under ${liveUpline ?? 'the top'}]`;
    case 'live only': return `${npn} [? live only, not declared]`;
  }
};

/**
 * Declared positions grouped by product; with `live` (positions read from the account, by
 * `npn@carrier/product`), each node says whether it is live and where, and live positions the
 * config does not declare join the tree under their live upline.
 */
export function declaredNodes(declared: readonly Position[], live?: ReadonlyMap<string, Position>): ProductNodes[] {
  const byProduct = new Map<string, ProductNodes>();
  const add = (p: Position, difference: Difference | undefined, liveUpline: string | null | undefined) => {
    const key = keys.product(p.carrier, p.product);
    let group = byProduct.get(key);
    if (!group) byProduct.set(key, (group = { carrier: p.carrier, product: p.product, nodes: [] }));
    if (group.nodes.some((n) => n.npn === p.npn)) return;
    group.nodes.push({
      npn: p.npn, upline: p.upline, contractAssignmentId: p.npn, contractAssignmentChangeId: p.npn, uplineContractAssignmentChangeId: p.upline,
      producerName: label(p.npn, difference, liveUpline), commissionLevelName: p.level ?? null, stateAbbreviations: p.states ? [...p.states] : [],
      assignmentStatusName: p.status ?? null, ...(difference ? { difference } : {}), ...(liveUpline !== undefined ? { liveUpline } : {}),
    });
  };
  const declaredKeys = new Set<string>();
  for (const p of declared) {
    const key = keys.assignment(p.npn, p.carrier, p.product);
    declaredKeys.add(key);
    if (!live) add(p, undefined, undefined);
    else {
      const found = live.get(key);
      add(p, !found ? 'not live' : found.upline !== p.upline ? 'moved' : undefined, found ? found.upline : undefined);
    }
  }
  const products = new Set(byProduct.keys());
  for (const [key, p] of live ?? []) {
    if (!declaredKeys.has(key) && products.has(keys.product(p.carrier, p.product))) add(p, 'live only', p.upline);
  }
  return [...byProduct.values()].sort((a, b) => a.carrier.localeCompare(b.carrier) || a.product.localeCompare(b.product));
}
