import { formatLocation, sortDiagnostics } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/types.js';
import { jsonText, visible, workflowMessage, workflowProperty } from './escape.js';
import type { Style } from './style.js';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'github';

function line(d: Diagnostic, style: Style): string {
  const where = d.source ? `${formatLocation(d.source)}: ` : d.address ? `${d.address}: ` : '';
  const label = d.severity === 'error' ? style.error('error') : style.warning('warning');
  return `${visible(where)}${label}: ${visible(d.message)}${d.hint ? style.note(` (${visible(d.hint)})`) : ''}`;
}

export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

export function annotation(d: Diagnostic): string {
  // A roster's column is a spreadsheet column, not a character: its annotation marks the row's line.
  const props = d.source ? ` file=${workflowProperty(d.source.file)},line=${d.source.textLine ?? d.source.line}${d.source.cell ? '' : `,col=${d.source.column}`}` : '';
  const text = d.hint ? `${d.message} (${d.hint})` : d.message;
  return `::${d.severity === 'error' ? 'error' : 'warning'}${props}::${workflowMessage(text)}`;
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style): string {
  return sortDiagnostics(diagnostics).map((d) => `${line(d, style)}\n`).join('');
}

export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[], style: Style): string {
  const sorted = sortDiagnostics(diagnostics);
  return renderDiagnosticsText(sorted, style) + sorted.map((d) => `${annotation(d)}\n`).join('');
}

export function diagnosticsJson(diagnostics: readonly Diagnostic[]): object[] {
  return sortDiagnostics(diagnostics).map((d) => ({ ...d }));
}

/** Diagnostics in the chosen format (markdown falls back to text: they go to stderr). */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, style: Style): string {
  if (diagnostics.length === 0) return '';
  if (format === 'github') return renderDiagnosticsGithub(diagnostics, style);
  if (format === 'json') return `${jsonText(JSON.stringify({ formatVersion: 1, diagnostics: diagnosticsJson(diagnostics) }, null, 2))}\n`;
  return renderDiagnosticsText(diagnostics, style);
}
