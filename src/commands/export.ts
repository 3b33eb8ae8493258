import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { COLLECTION_KEYS, fetchCatalog, fetchLookups, listAllAssignments } from '../api/discover.js';
import { mapLimit } from '../core/concurrency.js';
import type { LiveSnapshot, RawObject } from '../core/live.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { exportYaml } from '../render/export-yaml.js';
import { connect, SCOPE } from './connect.js';
import { output, UserError, type CommonOptions, type Io } from './io.js';

export interface ExportOptions extends CommonOptions {
  out?: string;
  npn: string[];
  npnFile?: string;
}

/** Live account → config YAML (stdout or --out) that plans clean against the same account. */
export async function exportCommand(options: ExportOptions, io: Io): Promise<number> {
  const o = output(io, options);
  const npns = [...options.npn];
  if (options.npnFile) npns.push(...(await readFile(resolve(io.cwd, options.npnFile), 'utf8')).split(/[\s,]+/).filter(Boolean));
  const session = await connect(options, io, [SCOPE.read]);
  try {
    const api = session.api;
    const concurrency = options.concurrency;
    const [lookups, { carriers, products, levels }] = await Promise.all([fetchLookups(api), fetchCatalog(api, concurrency)]);
    let assignments: RawObject[];
    if (npns.length > 0) {
      assignments = (await mapLimit([...new Set(npns)], concurrency, (npn) => api.list('/v1/customers/contractAssignments', COLLECTION_KEYS.contractAssignments, { npn }))).flat();
    } else {
      const all = await listAllAssignments(api);
      if (!all) throw new UserError('this API does not list assignments without an npn: pass --npn or --npn-file');
      assignments = all;
    }
    const live: LiveSnapshot = { lookups, carriers, products, levels, assignments };
    const { text, warnings } = exportYaml(live);
    if (options.out) await writeFile(resolve(io.cwd, options.out), text);
    else o.out(text);
    o.err(renderDiagnostics(warnings, o.format === 'json' || o.format === 'markdown' ? 'text' : o.format, o.style));
    if (options.out) o.err(`Exported ${carriers.length} carrier(s), ${products.length} product(s), ${levels.length} level(s), ${assignments.length} assignment(s) to ${options.out}.\n`);
    return 0;
  } finally {
    await session.close();
  }
}
