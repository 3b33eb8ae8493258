import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fetchCatalog, fetchLookups } from '../api/discover.js';
import { ASSIGNMENT_LISTING, listAllAssignments } from '../kinds/assignment-live.js';
import { mapLimit } from '../core/concurrency.js';
import type { LiveSnapshot, RawObject } from '../core/live.js';
import { parse } from 'yaml';
import { diagnosticsJson, renderDiagnostics } from '../render/diagnostics.js';
import { splitRoster } from '../render/export-roster.js';
import { exportYaml } from '../render/export-yaml.js';
import { listTurris } from '../kinds/turris-list.js';
import { connect, SCOPE } from './connect.js';
import { checkOutFile } from './out-file.js';
import { output, UserError, type CommonOptions, type Io } from './io.js';

export interface ExportOptions extends Omit<CommonOptions, 'format'> {
  /** yaml (or text): the config file; json: `{ formatVersion, config, warnings }`. */
  format?: 'yaml' | 'text' | 'json';
  out?: string;
  npn: string[];
  npnFile?: string;
  /** Write the assignments to this roster (CSV) instead of the YAML. */
  roster?: string;
}

/** Live account → config YAML (stdout or --out) that plans clean against the same account. */
export async function exportCommand(options: ExportOptions, io: Io): Promise<number> {
  const json = options.format === 'json';
  // Warnings go to stderr as text (as annotations inside GitHub Actions unless a format was asked for).
  const o = output(io, { ...options, format: options.format ? 'text' : undefined });
  if (options.roster && !/\.csv$/i.test(options.roster)) throw new UserError(`--roster ${options.roster}: export writes a CSV roster (name it .csv)`);
  await checkOutFile('--out', options.out, 'the export', io.cwd);
  await checkOutFile('--roster', options.roster, 'the roster', io.cwd);
  const npns = [...options.npn];
  if (options.npnFile) npns.push(...(await readFile(resolve(io.cwd, options.npnFile), 'utf8')).split(/[\s,]+/).filter(Boolean));
  const session = await connect({ ...options, format: undefined }, io, [SCOPE.read]);
  try {
    const api = session.api;
    const concurrency = options.concurrency;
    const [lookups, catalog] = await Promise.all([fetchLookups(api), fetchCatalog(api, concurrency)]);
    let assignments: RawObject[];
    if (npns.length > 0) {
      assignments = (await mapLimit([...new Set(npns)], concurrency, (npn) => api.list(ASSIGNMENT_LISTING.path(), ASSIGNMENT_LISTING.key, { npn }))).flat();
    } else {
      const all = await listAllAssignments(api);
      if (!all) throw new UserError('this API does not list assignments without an npn: pass --npn or --npn-file');
      assignments = all;
    }
    // Read only to know whether the Turris warning applies. Without Turris credentials downline made
    // none (none to leave out); a listing that fails leaves `turris` unknown, which warns.
    const associations = api.hasTurris() ? await listTurris(api, '/v1/downstream-entity-associations').catch(() => undefined) : [];
    const live: LiveSnapshot = { lookups, objects: { ...catalog, assignment: assignments, ...(associations ? { turrisInvite: associations as RawObject[] } : {}) } };
    const exported = exportYaml(live);
    const roster = options.roster ? splitRoster(exported.text) : undefined;
    if (roster) await writeFile(resolve(io.cwd, options.roster!), roster.csv);
    const yamlText = roster?.yaml ?? exported.text;
    const warnings = [...exported.warnings, ...(roster?.warnings ?? [])];
    // The JSON form is the same config as data (the `# id:` comments are YAML-only), with the warnings.
    const text = json ? `${JSON.stringify({ formatVersion: 1, config: parse(yamlText), warnings: diagnosticsJson(warnings) }, null, 2)}\n` : yamlText;
    if (options.out) await writeFile(resolve(io.cwd, options.out), text);
    else o.out(text);
    o.err(renderDiagnostics(warnings, o.format, o.style));
    if (options.out) o.err(`Exported ${catalog.carrier.length} carrier(s), ${catalog.product.length} product(s), ${catalog.commissionLevel.length} level(s), ${assignments.length} assignment(s) to ${options.out}.\n`);
    if (roster) o.err(`Wrote ${roster.rows} roster row(s) to ${options.roster}.\n`);
    return 0;
  } finally {
    await session.close();
  }
}
