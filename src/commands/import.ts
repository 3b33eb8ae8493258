import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseRoster } from '../config/roster.js';
import { ROSTER_FILE } from '../config/roster-read.js';
import { fileHealth } from '../config/health.js';
import { checkRules } from '../config/rules.js';
import { checkSchema } from '../config/schema.js';
import { toDesiredState } from '../config/to-desired.js';
import { hasErrors } from '../core/diagnostics.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { rosterYaml, type RosterEntries } from '../render/export-roster.js';
import { output, UserError, type CommonOptions, type Io } from './io.js';

/**
 * A roster (CSV or xlsx) → the same entries as YAML on stdout, to move a book from a spreadsheet into
 * the config. Offline: the roster's own problems are reported (and nothing is printed), the same ones
 * validate reports — a duplicate row too, which would otherwise print an `npns:` list naming a
 * producer twice. References to carriers, products, levels and the agency need the setup: they are
 * checked when the YAML is validated with it.
 */
export async function importCommand(file: string, options: CommonOptions, io: Io): Promise<number> {
  const o = output(io, options);
  if (!ROSTER_FILE.test(file)) throw new UserError(`${file}: import reads a roster, a .csv or .xlsx file`);
  const absolute = resolve(io.cwd, file);
  const bytes = await readFile(absolute).catch((cause: NodeJS.ErrnoException) => {
    throw new UserError(`${file}: ${cause.code === 'ENOENT' ? 'no such file' : cause.message}`);
  });
  const { parsed, diagnostics } = await parseRoster(relative(io.cwd, absolute) || absolute, bytes);
  if (parsed) {
    const problems = checkSchema(parsed);
    diagnostics.push(...problems.map((p) => p.diagnostic));
    const { state, unknowns, diagnostics: built } = toDesiredState([{ file: parsed, health: fileHealth(problems) }]);
    diagnostics.push(...built, ...checkRules(state, { references: false, unknowns: { ...unknowns, agency: true } }));
  }
  o.err(renderDiagnostics(diagnostics, o.format, o.style));
  if (!parsed || hasErrors(diagnostics)) return 1;
  o.out(rosterYaml(parsed.data as RosterEntries));
  return 0;
}
