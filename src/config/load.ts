import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
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
  /** sha256 of the interpolated config content, files named relative to `root`: a saved plan is bound to it. */
  digest: string;
  /** The repository root (nearest directory upwards holding `.git`, else the working directory). */
  root: string;
  /** The PATH arguments (default `downline.yaml`) relative to `root`, `/`-separated: what a saved plan records. */
  paths: string[];
  /** Values that came from a `${env:NAME:-default}` default (see `productionIdentityDiagnostics`). */
  defaulted: ParsedFile['defaulted'];
}

/**
 * A default never stands in for a production identity: against sandbox or production, an `agency`
 * value taken from a `${env:NAME:-…}` default (the variable unset or empty) is an error.
 */
export function productionIdentityDiagnostics(config: LoadedConfig): Diagnostic[] {
  return config.defaulted.filter((d) => d.path[0] === 'agency').map((d) => error(
    `${d.path.join('.')} would use the default of \${env:${d.variables[0]}:-…}: ${d.variables.join(', ')} is unset or empty`,
    d.source, `set ${d.variables.join(' and ')}; outside --env local a default never stands in for the agency's identity`));
}

/**
 * Where saved plans anchor config paths: the git checkout's root, so a plan made in one directory
 * applies from any other directory of the same checkout (CI downloads it anywhere).
 */
export async function repoRoot(cwd: string): Promise<string> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (await stat(join(dir, '.git')).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

const fromRoot = (root: string, absolute: string) => (relative(root, absolute) || '.').split(sep).join('/');

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
  const root = await repoRoot(cwd);
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
    hash.update(fromRoot(root, absolute)).update('\0').update(JSON.stringify(result.parsed.data)).update('\0');
  }
  const { state, diagnostics: buildDiagnostics } = toDesiredState(parsed);
  diagnostics.push(...buildDiagnostics);
  // With a file already broken, dangling references are mostly echoes of that error: skip them.
  diagnostics.push(...checkRules(state, { references: !schemaFailed }));
  const args = (paths.length > 0 ? paths : ['downline.yaml']).map((p) => fromRoot(root, resolve(cwd, p)));
  return { state, diagnostics, files: expanded.files.map((f) => relative(cwd, f) || f), digest: hash.digest('hex'), root, paths: args, defaulted: parsed.flatMap((p) => p.defaulted) };
}
