import { kindOf } from '../kinds/index.js';
import { changelog, productHierarchies } from '../api/hierarchies.js';
import { mapLimit } from '../core/concurrency.js';
import { didYouMean, nearest } from '../core/suggest.js';
import { buildTree, lifecycleEvents, type HierarchyNode } from '../core/hierarchy.js';
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NPN = /^\d{1,15}$/;

/** A real calendar day in yyyy-mm-dd (2025-02-30 is not one). */
const isDate = (value: string) => DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/** `name` among `candidates`: exactly, else ignoring case; else an error naming the closest ones. */
function pick<T>(flag: string, name: string, candidates: T[], nameOf: (c: T) => string, what: string): T[] {
  const exact = candidates.filter((c) => nameOf(c) === name);
  if (exact.length) return exact;
  const folded = candidates.filter((c) => nameOf(c).toLowerCase() === name.toLowerCase());
  if (folded.length) return folded;
  const names = [...new Set(candidates.map(nameOf))].sort();
  const hint = didYouMean(name, names) ?? (names.length ? `known: ${names.slice(0, 10).map((n) => `"${n}"`).join(', ')}${names.length > 10 ? ', …' : ''}` : `there are none`);
  throw new UserError(`${flag} "${name}": no ${what} of that name (${hint})`);
}

/** Read-only views of the Hierarchies API: the upline tree (optionally at a date) or lifecycle events. */
export async function hierarchyCommand(options: HierarchyOptions, io: Io): Promise<number> {
  if (options.config !== undefined) return hierarchyConfigCommand({ ...options, config: options.config }, io);
  if (!options.org) throw new UserError('hierarchy needs --org ID (the live views), or --config [PATH] (the declared tree)');
  for (const [flag, value] of [['--date', options.date], ['--changes-since', options.changesSince]] as const) {
    if (value !== undefined && !isDate(value)) throw new UserError(`${flag} must be a date like 2025-01-15 (got "${value}")`);
  }
  const o = output(io, { ...options, format: 'text' });
  const session = await connect({ ...options, format: undefined }, io, [SCOPE.read]);
  try {
    const api = session.api;
    const concurrency = options.concurrency;
    // --org takes the carrier's id or its name (the organization id is the carrier id).
    const carriers = kindOf('carrier').listing!;
    const orgId = UUID.test(options.org) ? options.org
      : pick('--org', options.org, await api.list(carriers.path(), carriers.key), (c) => String(c.name), 'carrier')[0].id;
    const org = encodeURIComponent(orgId);
    const all = await productHierarchies(api, orgId);
    if (all.length === 0) o.err(`note: organization ${options.org} has no product hierarchies (no contracted positions yet)\n`);
    const hierarchies = options.product ? pick('--product', options.product, all, (h) => h.productName, 'product with a hierarchy') : all;

    if (options.changesSince) {
      const since = options.changesSince;
      const events = (await mapLimit(hierarchies, concurrency, async (ph) => {
        const entries = await changelog(api, ph.id);
        return lifecycleEvents(entries, since).map((e) => ({ ...e, productHierarchyId: ph.id, productName: ph.productName }));
      })).flat().sort((a, b) => a.modifiedDate.localeCompare(b.modifiedDate));
      o.out(options.format === 'json' ? `${JSON.stringify({ formatVersion: 1, since, events }, null, 2)}\n` : renderEvents(events));
      return 0;
    }

    const query = options.date ? { date: options.date } : undefined;
    const nodesOf = (path: string) => api.get('agentsync', path, query) as Promise<HierarchyNode[]>;
    let sections: Array<{ title: string; nodes: HierarchyNode[] }>;
    if (options.person && NPN.test(options.person)) {
      // An NPN: the producer's positions are the nodes that carry it, product by product.
      const npn = options.person;
      const npnOf = (n: HierarchyNode) => String((n as { npn?: unknown }).npn);
      const every = (await mapLimit(hierarchies, concurrency, (ph) => nodesOf(`/v1/productHierarchies/${ph.id}/hierarchies`))).flat();
      const nodes = every.filter((n) => npnOf(n) === npn);
      if (nodes.length === 0) {
        // Like --org and --product: name the closest ones, so a typo costs one more run, not a search.
        const known = nearest(npn, new Set(every.map(npnOf).filter((n) => NPN.test(n))), 3);
        throw new UserError(`--person ${npn}: no producer with this NPN holds a position in ${options.org}'s hierarchies${options.date ? ` on ${options.date}` : ''} (${known.length ? `closest NPNs: ${known.join(', ')}` : 'they hold no positions'})`);
      }
      sections = groupByProduct(nodes);
    } else if (options.person) {
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
