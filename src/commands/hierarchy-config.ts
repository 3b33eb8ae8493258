import { discover } from '../api/discover.js';
import { listAllAssignments } from '../kinds/assignment-live.js';
import { KINDS } from '../kinds/index.js';
import { loadConfig } from '../config/load.js';
import { declaredNodes } from '../core/declared-tree.js';
import { hasErrors } from '../core/diagnostics.js';
import { buildTree } from '../core/hierarchy.js';
import { declaredPositions } from '../core/hierarchy-rules.js';
import { LiveIndex } from '../core/live-index.js';
import { Lookups } from '../core/lookups.js';
import { livePositions } from '../kinds/assignment.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { renderTree } from '../render/hierarchy.js';
import { connect, SCOPE } from './connect.js';
import { output, type CommonOptions, type Io } from './io.js';

export interface HierarchyConfigOptions extends Omit<CommonOptions, 'format'> {
  /** The config path (`--config` alone: downline.yaml). */
  config: string | true;
  format: 'tree' | 'json';
}

/**
 * `hierarchy --config [PATH]`: the declared tree of every product, offline. With `--env`, the
 * live positions are read the way `plan` reads them and each node says where the live tree
 * differs (not live yet, live under another upline, live but not declared).
 */
export async function hierarchyConfigCommand(options: HierarchyConfigOptions, io: Io): Promise<number> {
  const o = output(io, { ...options, format: 'text' });
  const config = await loadConfig(options.config === true ? [] : [options.config], io.cwd, io.env);
  if (hasErrors(config.diagnostics)) {
    // Under --format json stdout holds one JSON document, here the diagnostics.
    (options.format === 'json' ? o.out : o.err)(renderDiagnostics(config.diagnostics, options.format === 'json' ? 'json' : 'text', o.style));
    return 1;
  }
  o.err(renderDiagnostics(config.diagnostics, 'text', o.style));
  const declared = declaredPositions(config.state);
  let live: ReturnType<typeof livePositions> | undefined;
  if (options.env) {
    const session = await connect({ ...options, format: undefined }, io, [SCOPE.read]);
    try {
      const snapshot = await discover(session.api, config.state, options.concurrency);
      // Positions the config no longer declares are part of the live tree: read every assignment when the API lists them.
      snapshot.objects.assignment = (await listAllAssignments(session.api)) ?? snapshot.objects.assignment;
      live = livePositions(new LiveIndex(snapshot, KINDS), new Lookups(snapshot.lookups));
    } finally {
      await session.close();
    }
  }
  const products = declaredNodes(declared, live);
  if (options.format === 'json') {
    o.out(`${JSON.stringify({ formatVersion: 1, source: live ? 'config+live' : 'config', products: products.map((p) => ({ carrier: p.carrier, product: p.product, tree: buildTree(p.nodes) })) }, null, 2)}\n`);
    return 0;
  }
  o.out(renderTree(products.map((p) => ({ title: `${p.carrier} / ${p.product} — declared${live ? ', against the live account' : ''}`, roots: buildTree(p.nodes) }))));
  if (live) {
    const differing = products.flatMap((p) => p.nodes).filter((n) => n.difference).length;
    o.out(differing === 0 ? 'The live tree matches the declared one.\n' : `${differing} position(s) differ from the live tree: [+] declared, not live yet; [~] live under another upline; [?] live, not declared.\n`);
  }
  return 0;
}
