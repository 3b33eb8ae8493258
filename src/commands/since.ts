import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type ConfigSource } from '../config/load.js';
import { hasErrors, warning } from '../core/diagnostics.js';
import type { DesiredState } from '../core/desired.js';
import type { Diagnostic } from '../core/types.js';
import { UserError } from './io.js';

const exec = promisify(execFile);

/** GitHub sends an all-zero `before` when a push creates the branch: there is no base to compare with. */
const NO_COMMIT = /^0+$/;

/**
 * The same config files at a git commit, read with `git cat-file` (no checkout, no work tree
 * change). `dir` is inside the repository; paths are given to git relative to it.
 */
function gitSource(commit: string, dir: string): ConfigSource {
  const git = async (args: string[]) => (await exec('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })).stdout;
  const spec = (absolute: string) => `${commit}:./${relative(dir, absolute).split(sep).join('/')}`;
  return {
    async stat(absolute) {
      try {
        const type = (await git(['cat-file', '-t', spec(absolute)])).trim();
        return { directory: type === 'tree', size: type === 'blob' ? Number((await git(['cat-file', '-s', spec(absolute)])).trim()) : 0 };
      } catch {
        return undefined;
      }
    },
    async list(absolute) {
      // `cat-file -p` of a tree: "mode type id<TAB>name" per entry.
      return (await git(['cat-file', '-p', spec(absolute)])).split('\n').map((l) => l.split('\t')).filter(([meta]) => meta?.split(' ')[1] === 'blob').map(([, name]) => name);
    },
    readBytes: async (absolute) => (await exec('git', ['cat-file', 'blob', spec(absolute)], { cwd: dir, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 })).stdout,
  };
}

/**
 * `--since REF`: load the config as it was at REF through the same pipeline as now (parse,
 * interpolate, schema, desired state). Returns undefined when REF names no commit (a new branch).
 */
export async function configAt(ref: string, paths: string[], cwd: string, env: Record<string, string | undefined>): Promise<{ ref: string; state: DesiredState; diagnostics: Diagnostic[] } | undefined> {
  if (NO_COMMIT.test(ref)) return undefined;
  // The repository is the one holding the config (which need not be the working directory's).
  const first = resolve(cwd, paths[0] ?? 'downline.yaml');
  const repoDir = (await stat(first).catch(() => undefined))?.isDirectory() ? first : dirname(first);
  let commit: string;
  try {
    commit = (await exec('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoDir, encoding: 'utf8' })).stdout.trim();
  } catch (cause) {
    const detail = (cause as { code?: string }).code === 'ENOENT' ? 'git is not installed' : `not a commit of the git repository at ${repoDir}`;
    throw new UserError(`--since ${ref}: ${detail}. In CI, check out the history too (actions/checkout with fetch-depth: 0).`);
  }
  const base = await loadConfig(paths, cwd, env, gitSource(commit, repoDir));
  const errors = base.diagnostics.filter((d) => d.severity === 'error');
  const diagnostics = hasErrors(base.diagnostics)
    ? [warning(`the config at ${ref} has ${errors.length} error(s) (first: ${errors[0].message}); fields the API does not read back are written for every object it does not declare validly`)]
    : [];
  return { ref, state: base.state, diagnostics };
}
