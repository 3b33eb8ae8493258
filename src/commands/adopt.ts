import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { adoptInText, type AdoptEdit } from '../config/adopt.js';
import type { Diagnostic, Plan, Value } from '../core/types.js';
import { label } from '../render/labels.js';

export interface Adopted {
  files: Array<{ file: string; values: number }>;
  diagnostics: Diagnostic[];
}

/**
 * `plan --drift --adopt`: instead of reverting drift, write the live values of every planned update
 * into the config files that declare them, in place (review with `git diff`; the workflow opens a
 * pull request with it). Only files with something to adopt are written.
 */
export async function adoptDrift(plan: Plan, cwd: string): Promise<Adopted> {
  const byFile = new Map<string, AdoptEdit[]>();
  for (const change of plan.changes) {
    if (change.action !== 'update' || !change.source) continue;
    const values: Record<string, Value> = {};
    for (const f of change.fields) if (f.before !== undefined) values[f.field] = f.before;
    const edit = { line: change.source.line, column: change.source.column, values, label: label(change) };
    byFile.set(change.source.file, [...(byFile.get(change.source.file) ?? []), edit]);
  }
  const adopted: Adopted = { files: [], diagnostics: [] };
  for (const [file, edits] of byFile) {
    const path = resolve(cwd, file);
    const result = adoptInText(file, await readFile(path, 'utf8'), edits);
    adopted.diagnostics.push(...result.problems);
    if (result.adopted > 0 && !result.problems.some((p) => p.severity === 'error')) {
      await writeFile(path, result.text);
      adopted.files.push({ file, values: result.adopted });
    }
  }
  return adopted;
}
