import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { error } from '../core/diagnostics.js';
import type { DesiredState } from '../core/desired.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import { fileHealth, type Health } from './health.js';
import { MAX_FILE_BYTES, parseConfigFile, type ParsedFile } from './parse.js';
import { checkRules } from './rules.js';
import { checkSchema } from './schema.js';
import { parseRoster } from './roster.js';
import { ROSTER_FILE } from './roster-read.js';
import { toDesiredState } from './to-desired.js';
import { decodeUtf8 } from './utf8.js';
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

/**
 * Where config files are read from: the file system, or (for `--since REF`) a git commit. Paths are
 * absolute; `list` gives the names of the plain files in a directory.
 */
export interface ConfigSource {
  stat(absolute: string): Promise<{ directory: boolean; size: number } | undefined>;
  /** Names of the plain files (and symbolic links) in a directory. */
  list(absolute: string): Promise<string[]>;
  /** The file's bytes (decoded as UTF-8 by the reader; an .xlsx roster is binary). */
  readBytes(absolute: string): Promise<Buffer>;
  /** Why a symbolic link cannot be followed (loop, dangling, not a file); undefined for a plain file. */
  linkProblem?(absolute: string): Promise<string | undefined>;
  /** The path with links resolved, so a file reached twice is read once. */
  realpath?(absolute: string): Promise<string>;
}

export const fileSystem: ConfigSource = {
  stat: async (absolute) => {
    const info = await stat(absolute).catch(() => undefined);
    return info && { directory: info.isDirectory(), size: info.size };
  },
  list: async (absolute) => (await readdir(absolute, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name),
  readBytes: (absolute) => readFile(absolute),
  linkProblem: async (absolute) => ((await lstat(absolute).catch(() => undefined))?.isSymbolicLink() ? symlinkProblem(absolute) : undefined),
  realpath: (absolute) => realpath(absolute).catch(() => absolute),
};

/** Expand PATH arguments: files as given, directories to their *.yaml / *.yml files and rosters (*.csv, *.xlsx), sorted. */
async function expandPaths(paths: string[], cwd: string, source: ConfigSource): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths.length > 0 ? paths : ['downline.yaml']) {
    const absolute = resolve(cwd, path);
    const info = await source.stat(absolute);
    const linkProblem = info ? undefined : await source.linkProblem?.(absolute);
    if (linkProblem) {
      diagnostics.push(error(`${path}: ${linkProblem}`, undefined, 'point the link at a .yaml file, or remove it'));
    } else if (!info) {
      diagnostics.push(error(`${path}: no such file or directory`, undefined, paths.length === 0 ? 'create downline.yaml (downline init) or pass a config path' : 'check the path'));
    } else if (info.directory) {
      const entries = (await source.list(absolute)).filter((name) => YAML_FILE.test(name) || ROSTER_FILE.test(name)).sort();
      if (entries.length === 0) diagnostics.push(error(`${path}: the directory holds no config file (.yaml, .yml) or roster (.csv, .xlsx)`, undefined, 'add one, or pass the files themselves'));
      for (const name of entries) {
        const file = resolve(absolute, name);
        // A skipped link would silently drop what it declares (and pruning would delete it): follow it or fail.
        const problem = await source.linkProblem?.(file);
        if (problem) diagnostics.push(error(`${relative(cwd, file) || file}: ${problem}`, undefined, 'point the link at a .yaml file, or remove it'));
        else files.push(file);
      }
    } else {
      files.push(absolute);
    }
  }
  // A file reached twice (directly and through a link) is read once.
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const file of files) {
    const real = (await source.realpath?.(file)) ?? file;
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

/** A YAML config file's bytes, parsed; one that is not UTF-8 is an error at its first bad byte. */
function parseYaml(file: string, bytes: Buffer, env: Record<string, string | undefined>): ReturnType<typeof parseConfigFile> {
  const decoded = decodeUtf8(bytes);
  if ('notUtf8At' in decoded) {
    return { diagnostics: [error('the file is not UTF-8 text', { file, ...decoded.notUtf8At }, 'save it again with the UTF-8 encoding')] };
  }
  return parseConfigFile(file, decoded.text, env);
}

/** load → parse + interpolate → schema → desired state → rules, collecting every diagnostic. */
export async function loadConfig(paths: string[], cwd: string, env: Record<string, string | undefined>, source: ConfigSource = fileSystem): Promise<LoadedConfig> {
  const expanded = await expandPaths(paths, cwd, source);
  const root = await repoRoot(cwd);
  const diagnostics = [...expanded.diagnostics];
  const parsed: Array<{ file: ParsedFile; health: Health }> = [];
  const hash = createHash('sha256');
  for (const absolute of expanded.files) {
    const display = relative(cwd, absolute) || absolute;
    const size = (await source.stat(absolute))?.size ?? 0;
    if (size > MAX_FILE_BYTES) {
      diagnostics.push(error(`file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, { file: display, line: 1, column: 1 }, 'split the config into several files in a directory'));
      continue;
    }
    const bytes = await source.readBytes(absolute);
    const result = ROSTER_FILE.test(absolute) ? await parseRoster(display, bytes) : parseYaml(display, bytes, env);
    diagnostics.push(...result.diagnostics);
    if (!result.parsed) continue;
    const file = result.parsed;
    // A scalar whose variable could not be resolved has already been reported; its schema errors are echoes.
    const at = (l?: SourceLocation) => `${l?.line}:${l?.column}`;
    const unresolved = new Set(result.diagnostics.map((d) => at(d.source)));
    const problems = checkSchema(file).filter((p) => !unresolved.has(at(p.diagnostic.source)));
    diagnostics.push(...problems.map((p) => p.diagnostic));
    // Every file goes on to the cross-object checks, broken or not: all problems in one pass.
    parsed.push({ file, health: fileHealth(problems, unresolved.size > 0 ? (path) => unresolved.has(at(file.locate(path))) : undefined) });
    hash.update(fromRoot(root, absolute)).update('\0').update(JSON.stringify(file.data)).update('\0');
  }
  const { state, unknowns, diagnostics: buildDiagnostics } = toDesiredState(parsed);
  diagnostics.push(...buildDiagnostics);
  diagnostics.push(...checkRules(state, { references: true, unknowns }));
  const args = (paths.length > 0 ? paths : ['downline.yaml']).map((p) => fromRoot(root, resolve(cwd, p)));
  return { state, diagnostics, files: expanded.files.map((f) => relative(cwd, f) || f), digest: hash.digest('hex'), root, paths: args, defaulted: parsed.flatMap((p) => p.file.defaulted) };
}
