import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { error, hasErrors } from '../core/diagnostics.js';
import type { DesiredState } from '../core/desired.js';
import type { Diagnostic } from '../core/types.js';
import { MAX_FILE_BYTES, parseConfigFile, type ParsedFile } from './parse.js';
import { checkRules } from './rules.js';
import { validateSchema } from './schema.js';
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
    const linkProblem = info ? undefined : (await lstat(absolute).catch(() => undefined))?.isSymbolicLink() && (await symlinkProblem(absolute));
    if (linkProblem) {
      diagnostics.push(error(`${path}: ${linkProblem}`, undefined, 'point the link at a .yaml file, or remove it'));
    } else if (!info) {
      diagnostics.push(error(`${path}: no such file or directory`, undefined, paths.length === 0 ? 'create downline.yaml (downline init) or pass a config path' : 'check the path'));
    } else if (info.isDirectory()) {
      const entries = (await readdir(absolute, { withFileTypes: true }))
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && YAML_FILE.test(e.name))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (entries.length === 0) diagnostics.push(error(`${path}: directory has no .yaml or .yml files`));
      for (const entry of entries) {
        const file = resolve(absolute, entry.name);
        if (!entry.isSymbolicLink()) files.push(file);
        else {
          // A skipped link would silently drop what it declares (and pruning would delete it): follow it or fail.
          const problem = await symlinkProblem(file);
          if (problem) diagnostics.push(error(`${relative(cwd, file) || file}: ${problem}`, undefined, 'point the link at a .yaml file, or remove it'));
          else files.push(file);
        }
      }
    } else {
      files.push(absolute);
    }
  }
  // A file reached twice (directly and through a link) is read once.
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const file of files) {
    const real = await realpath(file).catch(() => file);
    if (!seen.has(real)) unique.push(file);
    seen.add(real);
  }
  return { files: unique, diagnostics };
}

/** Why a symlinked config entry cannot be read (loop, dangling, not a file), or undefined to follow it. */
async function symlinkProblem(file: string): Promise<string | undefined> {
  try {
    const target = await stat(file);
    return target.isFile() ? undefined : 'is a symbolic link to something that is not a file';
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'is a symbolic link loop';
    if (code === 'ENOENT') return `is a symbolic link to a missing file (${await readlink(file).catch(() => '?')})`;
    return `is a symbolic link that cannot be followed (${code ?? (cause as Error).message})`;
  }
}

/** load → parse + interpolate → schema → desired state → rules, collecting every diagnostic. */
export async function loadConfig(paths: string[], cwd: string, env: Record<string, string | undefined>): Promise<LoadedConfig> {
  const expanded = await expandPaths(paths, cwd);
  const diagnostics = [...expanded.diagnostics];
  const parsed: ParsedFile[] = [];
  const hash = createHash('sha256');
  let schemaFailed = false;
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
    if (!result.parsed) {
      schemaFailed = true;
      continue;
    }
    if (hasErrors(result.diagnostics)) schemaFailed = true;
    // A scalar whose variable could not be resolved has already been reported; its schema errors are echoes.
    const unresolved = new Set(result.diagnostics.map((d) => `${d.source?.line}:${d.source?.column}`));
    const schemaErrors = validateSchema(result.parsed).filter((d) => !unresolved.has(`${d.source?.line}:${d.source?.column}`));
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length > 0) schemaFailed = true;
    else parsed.push(result.parsed);
    hash.update(display).update('\0').update(JSON.stringify(result.parsed.data)).update('\0');
  }
  const { state, diagnostics: buildDiagnostics } = toDesiredState(parsed);
  diagnostics.push(...buildDiagnostics);
  // With a file already broken, dangling references are mostly echoes of that error: skip them.
  diagnostics.push(...checkRules(state, { references: !schemaFailed }));
  return { state, diagnostics, files: expanded.files.map((f) => relative(cwd, f) || f), digest: hash.digest('hex') };
}
