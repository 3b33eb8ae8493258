import { mapLimit } from '../core/concurrency.js';
import { buildTree, lifecycleEvents, type ChangelogEntry, type HierarchyNode } from '../core/hierarchy.js';
import { renderEvents, renderTree } from '../render/hierarchy.js';
import { hierarchyConfigCommand } from './hierarchy-config.js';
import { connect, SCOPE } from './connect.js';
import { output, UserError, type CommonOptions, type Io } from './io.js';

export interface HierarchyOptions extends Omit<CommonOptions, 'format'> {
  org?: string;
  config?: string | true;
  product?: string;
  person?: string;
  date?: string;
  changesSince?: string;
  format: 'tree' | 'json';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ProductHierarchy { id: string; productName: string; organizationName?: string }

/** Read-only views of the Hierarchies API: the upline tree (optionally at a date) or lifecycle events. */
export async function hierarchyCommand(options: HierarchyOptions, io: Io): Promise<number> {
  if (options.config !== undefined) return hierarchyConfigCommand({ ...options, config: options.config }, io);
  if (!options.org) throw new UserError('hierarchy needs --org ID (the live views), or --config [PATH] (the declared tree)');
  for (const [flag, value] of [['--date', options.date], ['--changes-since', options.changesSince]] as const) {
    if (value !== undefined && !DATE.test(value)) throw new UserError(`${flag} must be a date like 2025-01-15`);
  }
  const o = output(io, { ...options, format: 'text' });
  const session = await connect({ ...options, format: undefined }, io, [SCOPE.read]);
  try {
    const api = session.api;
    const concurrency = Math.max(1, Number.parseInt(options.concurrency, 10) || 4);
    const org = encodeURIComponent(options.org);
    const hierarchies = (options.product
      ? await api.list(`/v1/organizations/${org}/productHierarchies/search`, 'decoratedProductHierarchyList', { productName: options.product })
      : await api.list(`/v1/organizations/${org}/productHierarchies`, 'decoratedProductHierarchyList')) as unknown as ProductHierarchy[];

    if (options.changesSince) {
      const since = options.changesSince;
      const events = (await mapLimit(hierarchies, concurrency, async (ph) => {
        const entries = (await api.list(`/v1/productHierarchies/${ph.id}/changelog`, 'hierarchyChangelogViewList', { sort: 'modifiedDate,desc' })) as unknown as ChangelogEntry[];
        return lifecycleEvents(entries, since).map((e) => ({ ...e, productHierarchyId: ph.id, productName: ph.productName }));
      })).flat().sort((a, b) => a.modifiedDate.localeCompare(b.modifiedDate));
      o.out(options.format === 'json' ? `${JSON.stringify({ formatVersion: 1, since, events }, null, 2)}\n` : renderEvents(events));
      return 0;
    }

    const query = options.date ? { date: options.date } : undefined;
    const nodesOf = (path: string) => api.get('agentsync', path, query) as Promise<HierarchyNode[]>;
    let sections: Array<{ title: string; nodes: HierarchyNode[] }>;
    if (options.person) {
      const nodes = await nodesOf(`/v1/organizations/${org}/persons/${encodeURIComponent(options.person)}/hierarchies`);
      const wanted = options.product ? nodes.filter((n) => hierarchies.some((h) => h.productName === n.productName)) : nodes;
      sections = groupByProduct(wanted);
    } else {
      sections = await mapLimit(hierarchies, concurrency, async (ph) => ({ title: ph.productName, nodes: await nodesOf(`/v1/productHierarchies/${ph.id}/hierarchies`) }));
    }
    if (options.format === 'json') {
      o.out(`${JSON.stringify({ formatVersion: 1, date: options.date ?? null, products: sections.map((s) => ({ product: s.title, tree: buildTree(s.nodes) })) }, null, 2)}\n`);
    } else {
      o.out(renderTree(sections.map((s) => ({ title: `${s.title}${options.date ? ` — as of ${options.date}` : ''}`, roots: buildTree(s.nodes) }))));
    }
    return 0;
  } finally {
    await session.close();
  }
}

function groupByProduct(nodes: HierarchyNode[]): Array<{ title: string; nodes: HierarchyNode[] }> {
  const groups = new Map<string, HierarchyNode[]>();
  for (const n of nodes) groups.set(String(n.productName ?? ''), [...(groups.get(String(n.productName ?? '')) ?? []), n]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([title, list]) => ({ title, nodes: list }));
}
