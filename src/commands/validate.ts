import { loadConfig } from '../config/load.js';
import { hasErrors } from '../core/diagnostics.js';
import { countLine, renderDiagnostics } from '../render/diagnostics.js';
import { output, type CommonOptions, type Io } from './io.js';

/** Offline: parse, schema, references, variables. Exit 0 valid, 1 invalid. No network. */
export async function validateCommand(paths: string[], options: CommonOptions, io: Io): Promise<number> {
  const o = output(io, options);
  const config = await loadConfig(paths, io.cwd, io.env);
  const failed = hasErrors(config.diagnostics);
  if (o.format === 'json') {
    o.out(renderDiagnostics(config.diagnostics, 'json', o.style) || `${JSON.stringify({ formatVersion: 1, diagnostics: [] }, null, 2)}\n`);
    return failed ? 1 : 0;
  }
  o.err(renderDiagnostics(config.diagnostics, o.format, o.style));
  const s = config.state;
  const summary = failed
    ? `Invalid: ${countLine(config.diagnostics)}.`
    : `Valid: ${config.files.length} file(s), ${s.entries.carrier.length} carrier(s), ${s.entries.product.length} product(s), ${s.entries.commissionLevel.length} commission level(s), ${s.entries.assignment.length} assignment(s), ${s.entries.invite.length} invite(s), ${s.entries.turrisInvite.length} Turris invite(s)${config.diagnostics.length ? `; ${countLine(config.diagnostics)}` : ''}.`;
  (failed ? o.err : o.out)(`${summary}\n`);
  return failed ? 1 : 0;
}
