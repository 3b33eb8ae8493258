import type { Diagnostic, SourceLocation } from './types.js';

export function error(message: string, source?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'error', message, ...(hint ? { hint } : {}), ...(source ? { source } : {}) };
}

export function warning(message: string, source?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'warning', message, ...(hint ? { hint } : {}), ...(source ? { source } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function formatLocation(source: SourceLocation): string {
  return `${source.file}:${source.line}:${source.column}${source.cell ? ` (${source.cell})` : ''}`;
}

/** Stable order: by file, line, column, then message — so output is deterministic. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.source?.file ?? '\uffff';
    const fb = b.source?.file ?? '\uffff';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.source?.line ?? 0;
    const lb = b.source?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.source?.column ?? 0;
    const cb = b.source?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}
