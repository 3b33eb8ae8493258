import { readdir, readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { error } from '../core/diagnostics.js';
import type { DesiredState } from '../core/desired.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import { fileHealth, type Health } from './health.js';
import { MAX_FILE_BYTES, parseConfigFile, type ParsedFile } from './parse.js';
import { checkRules } from './rules.js';
import { checkSchema } from './schema.js';
import { toDesiredState } from './to-desired.js';
import { createHash } from 'node:crypto';

export interface LoadedConfig {
  state: DesiredState;
  diagnostics: Diagnostic[];
  files: string[];
  /** sha256 of the interpolated config content: a saved plan is bound to it. */
  digest: string;
}

const YAML_FILE = /\.ya?ml$/i;

/** Expand PATH arguments: files as given, directories to their *.yaml / *.yml files, sorted. */
async function expandPaths(paths: string[], cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths.length > 0 ? paths : ['downline.yaml']) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      diagnostics.push(error(`${path}: no such file or directory`, undefined, paths.length === 0 ? 'create downline.yaml (downline init) or pass a config path' : 'check the path'));
    } else if (info.isDirectory()) {
      const entries = (await readdir(absolute, { withFileTypes: true }))
        .filter((e) => e.isFile() && YAML_FILE.test(e.name))
        .map((e) => resolve(absolute, e.name))
        .sort();
      if (entries.length === 0) diagnostics.push(error(`${path}: directory has no .yaml or .yml files`));
      files.push(...entries);
    } else {
      files.push(absolute);
    }
  }
  return { files: [...new Set(files)], diagnostics };
}

/** load → parse + interpolate → schema → desired state → rules, collecting every diagnostic. */
export async function loadConfig(paths: string[], cwd: string, env: Record<string, string | undefined>): Promise<LoadedConfig> {
  const expanded = await expandPaths(paths, cwd);
  const diagnostics = [...expanded.diagnostics];
  const parsed: Array<{ file: ParsedFile; health: Health }> = [];
  const hash = createHash('sha256');
  for (const absolute of expanded.files) {
    const display = relative(cwd, absolute) || absolute;
    const size = (await stat(absolute)).size;
    if (size > MAX_FILE_BYTES) {
      diagnostics.push(error(`file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, { file: display, line: 1, column: 1 }, 'split the config into several files in a directory'));
      continue;
    }
    const text = await readFile(absolute, 'utf8');
    const result = parseConfigFile(display, text, env);
    diagnostics.push(...result.diagnostics);
    if (!result.parsed) continue;
    const file = result.parsed;
    // A scalar whose variable could not be resolved has already been reported; its schema errors are echoes.
    const at = (l?: SourceLocation) => `${l?.line}:${l?.column}`;
    const unresolved = new Set(result.diagnostics.map((d) => at(d.source)));
    const problems = checkSchema(file).filter((p) => !unresolved.has(at(p.diagnostic.source)));
    diagnostics.push(...problems.map((p) => p.diagnostic));
    // Every file goes on to the cross-object checks, broken or not: all problems in one pass.
    parsed.push({ file, health: fileHealth(problems, (path) => unresolved.has(at(file.locate(path)))) });
    hash.update(display).update('\0').update(JSON.stringify(file.data)).update('\0');
  }
  const { state, unknowns, diagnostics: buildDiagnostics } = toDesiredState(parsed);
  diagnostics.push(...buildDiagnostics);
  diagnostics.push(...checkRules(state, { references: true, unknowns }));
  return { state, diagnostics, files: expanded.files.map((f) => relative(cwd, f) || f), digest: hash.digest('hex') };
}
