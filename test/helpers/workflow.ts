import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Runs the jobs of a GitHub Actions workflow the way a runner does, as far as a test can: each job
 * in a fresh clone of the repository at a commit, its `run:` steps in order under
 * `bash --noprofile --norc -eo pipefail`, with `${{ … }}` expressions taken from a table (an
 * expression the table lacks fails the test, so the table keeps up with the workflow), step `if:`
 * conditions (`!cancelled()` runs after a failure, the default does not), and `uses:` steps
 * replaced by what they do here: checkout = the clone, setup-node = this Node, upload-artifact =
 * the file must exist.
 */
export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

export interface StepResult {
  name: string;
  code: number | 'skipped';
  stdout: string;
  stderr: string;
}

export interface JobRun {
  dir: string;
  steps: StepResult[];
  summary: string;
  failed: boolean;
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

/** A fake `gh` CLI that keeps one pull-request comment (and the body of a created pull request) in a folder and logs every call. */
export function fakeGh(binDir: string, stateDir: string): void {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const script = `#!/bin/bash
echo "$*" >> "${stateDir}/calls.log"
body=""
for arg in "$@"; do case "$arg" in body=@*) body="\${arg#body=@}";; esac; done
case "$*" in
  *--paginate*) if [ -f "${stateDir}/comment.md" ]; then echo 4242; fi ;;
  *"-X POST"*|*"-X PATCH"*) cp "$body" "${stateDir}/comment.md" ;;
  "pr create"*) while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "${stateDir}/pr.md"; shift; done ;;
  *) echo "fake gh: unexpected call: $*" >&2; exit 1 ;;
esac
`;
  writeFileSync(join(binDir, 'gh'), script);
  chmodSync(join(binDir, 'gh'), 0o755);
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

function substitute(text: string, context: Record<string, string>): string {
  return text.replace(EXPRESSION, (_m, expr: string) => {
    if (!(expr in context)) throw new Error(`the workflow uses \${{ ${expr} }}, which the test runner does not know`);
    return context[expr];
  });
}

/** Spawned, not spawnSync: the emulator these steps talk to may live in the test's own event loop. */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** Clone `repo` at `commit` into `dir` and run `job`'s steps there. */
export async function runJob(workflow: Workflow, job: string, options: { repo: string; commit: string; dir: string; env: Record<string, string>; context: Record<string, string> }): Promise<JobRun> {
  const spec = workflow.jobs[job];
  execFileSync('git', ['clone', '-q', options.repo, options.dir]);
  execFileSync('git', ['checkout', '-q', options.commit], { cwd: options.dir });
  const summary = join(options.dir, '..', `${job}-summary.md`);
  writeFileSync(summary, '');
  const base = { ...options.env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
  const env = (step: Step) => Object.fromEntries(Object.entries({ ...workflow.env, ...spec.env, ...step.env }).map(([k, v]) => [k, substitute(String(v), options.context)]));
  const steps: StepResult[] = [];
  let failed = false;
  for (const step of spec.steps) {
    const name = step.name ?? step.uses ?? step.run ?? '?';
    const condition = step.if === undefined ? 'success()' : step.if.replace(EXPRESSION, '$1').trim();
    if (!['success()', '!cancelled()'].includes(condition)) throw new Error(`step condition ${step.if} is unknown to the test runner`);
    if (failed && condition === 'success()') {
      steps.push({ name, code: 'skipped', stdout: '', stderr: '' });
      continue;
    }
    if (step.uses) {
      const ok = !step.uses.startsWith('actions/upload-artifact') || existsSync(join(options.dir, step.with!.path));
      steps.push({ name, code: ok ? 0 : 1, stdout: '', stderr: ok ? '' : `no file ${step.with?.path} to upload` });
      failed ||= !ok;
      continue;
    }
    const script = join(options.dir, '..', `${job}-step-${steps.length}.sh`);
    writeFileSync(script, substitute(step.run!, options.context));
    const { code, stdout, stderr } = await bash(script, options.dir, { ...base, ...env(step) });
    steps.push({ name, code, stdout, stderr });
    failed ||= code !== 0;
  }
  return { dir: options.dir, steps, summary: readFileSync(summary, 'utf8'), failed };
}
