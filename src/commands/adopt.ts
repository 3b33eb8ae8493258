import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { adoptInText, type AdoptEdit } from '../config/adopt.js';
import { adoptInCsv } from '../config/adopt-csv.js';
import { adoptInXlsx } from '../config/adopt-xlsx.js';
import { isXlsx, ROSTER_FILE } from '../config/roster-read.js';
import { hasErrors } from '../core/diagnostics.js';
import type { Diagnostic, Plan, Value } from '../core/types.js';
import { label } from '../render/labels.js';

export interface Adopted {
  files: Array<{ file: string; values: number }>;
  diagnostics: Diagnostic[];
}

/**
 * `plan --drift --adopt`: instead of reverting drift, write the live values of every planned update
 * into the config files that declare them, in place (review with `git diff`; the workflow opens a
 * pull request with it): YAML through the Document API, rosters row by row. Only files with
 * something to adopt are written, and only once every file has been worked out.
 */
export async function adoptDrift(plan: Plan, cwd: string): Promise<Adopted> {
  const byFile = new Map<string, Array<AdoptEdit & { npn?: string }>>();
  for (const change of plan.changes) {
    if (change.action !== 'update' || !change.source) continue;
    const values: Record<string, Value> = {};
    for (const f of change.fields) if (f.before !== undefined) values[f.field] = f.before;
    const edit = { line: change.source.line, column: change.source.column, values, label: label(change), npn: change.identity?.npn };
    byFile.set(change.source.file, [...(byFile.get(change.source.file) ?? []), edit]);
  }
  const adopted: Adopted = { files: [], diagnostics: [] };
  const pending: Array<() => Promise<void>> = [];
  /** A file is written only when something was adopted into it and nothing went wrong there. */
  const record = (file: string, values: number, problems: Diagnostic[], write: () => Promise<void>) => {
    adopted.diagnostics.push(...problems);
    if (values > 0 && !hasErrors(problems)) {
      pending.push(write);
      adopted.files.push({ file, values });
    }
  };
  for (const [file, edits] of byFile) {
    const path = resolve(cwd, file);
    if (ROSTER_FILE.test(file)) {
      // A roster is rewritten row by row: only the drifted cells of the drifted rows change.
      const rows = edits.map(({ line, npn, values, label }) => ({ row: line, npn, values, label }));
      const bytes = await readFile(path);
      const result = isXlsx(file) ? await adoptInXlsx(file, bytes, rows) : adoptInCsv(file, bytes, rows);
      record(file, result.adopted, result.problems, () => writeFile(path, result.bytes));
      continue;
    }
    const result = adoptInText(file, await readFile(path, 'utf8'), edits);
    record(file, result.adopted, result.problems, () => writeFile(path, result.text));
  }
  for (const write of pending) await write();
  return adopted;
}
