import { access, constants, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { repoRoot } from '../config/load.js';
import { applyPlan, type ChangeResult } from '../core/apply-plan.js';
import { hasChanges } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import { comparePlans } from '../core/saved-plan.js';
import { checkDeletes } from '../core/safety.js';
import type { Plan } from '../core/types.js';
import { label } from '../render/labels.js';
import { KINDS } from '../kinds/index.js';
import { planDocument } from '../render/plan-json.js';
import { applyReport, renderApplySummary, type ReportStatus } from '../render/report.js';
import { VERSION } from '../version.js';
import { chooseEnv, SCOPE, type Session } from './connect.js';
import { output, UserError, type Io, type Output } from './io.js';
import { deleteLimits, renderPlan, type PlanOptions } from './plan.js';
import { preparePlan } from './prepare.js';
import { progressReporter } from './progress.js';
import { planMeta, readSavedPlan } from './saved-plan.js';

export interface ApplyOptions extends PlanOptions {
  autoApprove?: boolean;
  plan?: string;
  report?: string;
  showInviteLinks?: boolean;
}

/** apply's stdout is for people: a JSON request means the report, the plan shows as text. */
const asPlanOutput = (o: Output): Output => (o.format === 'json' ? { ...o, format: 'text' } : o);

const scopesFor = (prune: boolean) => [SCOPE.read, SCOPE.write, ...(prune ? [SCOPE.delete] : [])];

/** What this run did, for the report: written on every outcome, so CI always has its artifact. */
interface Run {
  env?: string;
  status: ReportStatus;
  reasons: string[];
  results: ChangeResult[];
}

/**
 * `--report FILE` is checked before anything is written to the account (a finished apply must not
 * end in ENOENT), and written however the run ends.
 */
async function reportTarget(file: string | undefined, io: Io): Promise<string | undefined> {
  if (!file) return undefined;
  const path = resolve(io.cwd, file);
  const dir = await stat(dirname(path)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new UserError(`cannot write the report to ${file}: ${dirname(file)} is not a directory. Nothing was written`);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new UserError(`cannot write the report to ${file}: it is a directory. Nothing was written`);
  const writable = (p: string) => access(p, constants.W_OK).then(() => true, (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  if (!(await writable(dirname(path))) || !(await writable(path))) throw new UserError(`cannot write the report to ${file}: permission denied. Nothing was written`);
  return path;
}

/** plan → confirm → execute, or execute a saved plan once re-derived and found identical. */
export async function applyCommand(paths: string[], options: ApplyOptions, io: Io): Promise<number> {
  const o = output(io, options);
  // `apply PLANFILE`, as Terraform users type it: a .json argument is the saved plan.
  const saved = options.plan ?? (paths.length === 1 && /\.json$/i.test(paths[0]) ? paths[0] : undefined);
  if (saved && !options.plan) paths = [];
  const reportPath = await reportTarget(options.report, io);
  const run: Run = { status: 'refused', reasons: [], results: [] };
  let code = 1;
  try {
    code = saved ? await applySaved(saved, paths, options, io, o, run) : await applyFresh(paths, options, io, o, run);
  } catch (cause) {
    run.reasons.push((cause as Error).message);
    throw cause;
  } finally {
    if (reportPath) {
      const report = applyReport(run.results, { toolVersion: VERSION, env: run.env ?? options.env ?? 'unknown', status: run.status, reasons: run.reasons, showInviteLinks: options.showInviteLinks });
      try {
        await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
      } catch (cause) {
        // The summary is already on screen; the lost report is an error of its own.
        o.err(`error: the apply finished but its report could not be written to ${options.report}: ${(cause as Error).message}\n`);
        code = code === 0 ? 1 : code;
      }
    }
  }
  return code;
}

async function applyFresh(paths: string[], options: ApplyOptions, io: Io, o: Output, run: Run): Promise<number> {
  const prepared = await preparePlan(paths, options, io, o, (c) => scopesFor(Object.values(c.state.prune).some(Boolean)));
  if (!prepared) {
    run.reasons.push('the config has errors');
    return 1;
  }
  const { plan, session, config } = prepared;
  run.env = session.env;
  try {
    o.out(renderPlan(plan, planDocument(plan, planMeta(config, session.env, options.target)), asPlanOutput(o), options));
    if (hasErrors(plan.diagnostics)) {
      run.reasons.push(...plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message));
      return 1;
    }
    return await execute(plan, session, options, io, o, run);
  } finally {
    await session.close();
  }
}

async function execute(plan: Plan, session: Session, options: ApplyOptions, io: Io, o: Output, run: Run): Promise<number> {
  const safety = checkDeletes(plan, deleteLimits(options));
  if (safety.blocked) {
    run.status = 'blocked';
    run.reasons.push(...safety.reasons);
    o.err(`${o.style.error('blocked')}: ${safety.reasons.join('; ')}. Nothing was written. Review the deletes, or pass --force to proceed.\n`);
    return 3;
  }
  if (!hasChanges(plan)) {
    run.status = 'no-changes';
    o.out('No changes. The live account matches the config.\n');
    return 0;
  }
  if (!options.autoApprove) {
    if (!io.prompt) {
      run.reasons.push('not approved: no --auto-approve and no terminal to ask');
      o.err('error: refusing to apply without --auto-approve: this is not an interactive terminal. Nothing was written.\n');
      return 1;
    }
    const answer = await io.prompt(`Apply these changes to ${session.env}? Only 'yes' is accepted: `);
    if (answer.trim() !== 'yes') {
      run.reasons.push('cancelled at the prompt');
      o.err('Apply cancelled. Nothing was written.\n');
      return 1;
    }
  }
  const writes = plan.changes.filter((c) => c.operation !== null);
  run.status = 'applied';
  run.results = await applyPlan(plan.changes, session.api, {
    kinds: KINDS,
    concurrency: Math.max(1, Number.parseInt(options.concurrency, 10) || 4),
    onEvent: progressReporter(o, writes.length, io.isTTY && o.format !== 'github'),
  });
  const report = applyReport(run.results, { toolVersion: VERSION, env: session.env, status: run.status, showInviteLinks: options.showInviteLinks });
  o.out(renderApplySummary(report, o.style));
  return report.summary.failed > 0 || report.summary.skipped > 0 ? 1 : 0;
}

/**
 * A saved plan is a reviewed artifact, not a program: the plan is derived again from the config it
 * records and the live account, and executed — operations built by the kind modules, never read
 * from the file — only when every change equals the saved one.
 */
async function applySaved(file: string, paths: string[], options: ApplyOptions, io: Io, o: Output, run: Run): Promise<number> {
  const doc = await readSavedPlan(file, resolve(io.cwd, file));
  run.env = doc.env;
  const refuse = (reasons: string[], advice: string) => {
    run.reasons.push(...reasons);
    o.err(`error: ${file} is not applied; nothing was written:\n${reasons.map((r) => `  - ${r}\n`).join('')}${advice}\n`);
    return 1;
  };
  const savedErrors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (savedErrors.length > 0) return refuse(savedErrors.map((d) => `the plan has an error: ${d.message}`), 'A plan with errors is never executable: fix the config, then plan again.');
  const env = chooseEnv(options, io);
  if (env !== doc.env) return refuse([`the plan is for --env ${doc.env}, not ${env}`], `Apply it with --env ${doc.env}, or plan again for ${env}.`);
  // Without PATH arguments the plan's own config paths are read from the repository root, wherever the command runs.
  const where = paths.length > 0 ? { paths, cwd: io.cwd } : { paths: doc.configPaths, cwd: await repoRoot(io.cwd) };
  const prepared = await preparePlan(where.paths, { ...options, env, target: doc.targets }, io, o, (c) => scopesFor(Object.values(c.state.prune).some(Boolean)), where.cwd);
  if (!prepared) return refuse(['the config has errors'], 'Fix the config, then plan again.');
  const { plan, session, config } = prepared;
  try {
    if (config.digest !== doc.configDigest) return refuse([`the config (${config.paths.join(', ')}, with its \${env:…} values) differs from the one the plan was made from`], 'Run plan again and review the new plan.');
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return refuse(errors.map((d) => `${d.address ? `${d.address}: ` : ''}${d.message}`), 'A plan with errors is never executable: fix the config, then plan again.');
    const differences = comparePlans(doc.changes, plan.changes);
    if (differences.length > 0) {
      return refuse(differences.map((d) => `${label(d)} ${d.reason}`), 'The account or the file changed since the plan was made. Run plan again and review the new plan.');
    }
    o.out(renderPlan(plan, planDocument(plan, planMeta(config, session.env, doc.targets)), asPlanOutput(o), options));
    return await execute(plan, session, { ...options, autoApprove: true }, io, o, run);
  } finally {
    await session.close();
  }
}
