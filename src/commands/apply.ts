import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { repoRoot, type LoadedConfig } from '../config/load.js';
import { prunesByDelete } from '../core/desired.js';
import { applyPlan, NOT_STARTED, type ChangeResult } from '../core/apply-plan.js';
import { hasChanges, summarize } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import { comparePlans } from '../core/saved-plan.js';
import { checkSafety } from '../core/safety.js';
import type { Plan } from '../core/types.js';
import { label } from '../render/labels.js';
import { KINDS } from '../kinds/index.js';
import { notDueSentence } from '../render/plan-dated.js';
import { planDocument } from '../render/plan-json.js';
import { applyReport, renderApplySummary, type ReportStatus } from '../render/report.js';
import { VERSION } from '../version.js';
import { chooseEnv, SCOPE, type Session } from './connect.js';
import { output, UserError, type Io, type Output } from './io.js';
import { unwritable } from './out-file.js';
import { deleteLimits, renderPlan, type PlanOptions } from './plan.js';
import { preparePlan } from './prepare.js';
import { progressReporter } from './progress.js';
import { planMeta, readSavedPlan } from './saved-plan.js';
import { verifyCreates } from './verify.js';

export interface ApplyOptions extends PlanOptions {
  autoApprove?: boolean;
  plan?: string;
  report?: string;
  showInviteLinks?: boolean;
}

/** apply's stdout is for people: a JSON request means the report, the plan shows as text. */
const asPlanOutput = (o: Output): Output => (o.format === 'json' ? { ...o, format: 'text' } : o);

/** Under --format json stdout carries one JSON document (`o.data`); everything for people goes to stderr. */
const peopleOnStderr = (o: Output): Output => (o.format === 'json' ? { ...o, out: o.err } : o);

const scopesFor = (prune: boolean) => [SCOPE.read, SCOPE.write, ...(prune ? [SCOPE.delete] : [])];

/** Terminating (prune: { assignments: terminate }) is a PUT: only deletes need the delete scope. */
const pruneScopes = (c: LoadedConfig) => scopesFor(prunesByDelete(c.state.prune));

/** What this run did, for the report: written on every outcome, so CI always has its artifact. */
interface Run {
  env?: string;
  status: ReportStatus;
  reasons: string[];
  results: ChangeResult[];
  /** Whether stdout already carries the command's JSON document (the config's diagnostics). */
  printed?: boolean;
}

/**
 * A refusal after the plan: the message for people on stderr; under --format json stdout gets the
 * apply report (written however the run ends), so scripts read one document for every outcome.
 */
const decline = (o: Output, message: string, exitCode: number): number => {
  o.err(message);
  return exitCode;
};

/**
 * `--report FILE` is checked before anything is written to the account (a finished apply must not
 * end in ENOENT), and written however the run ends.
 */
async function reportTarget(file: string | undefined, io: Io): Promise<string | undefined> {
  if (!file) return undefined;
  const why = await unwritable(file, io.cwd);
  if (why) throw new UserError(`cannot write the report to ${file}: ${why}. Nothing was written`);
  return resolve(io.cwd, file);
}

/** plan → confirm → execute, or execute a saved plan once re-derived and found identical. */
export async function applyCommand(paths: string[], options: ApplyOptions, io: Io): Promise<number> {
  const o = peopleOnStderr(output(io, options));
  // `apply PLANFILE [PATH…]`, as Terraform users type it: a first .json argument is the saved plan.
  const saved = options.plan ?? (paths.length > 0 && /\.json$/i.test(paths[0]) ? paths[0] : undefined);
  if (saved && !options.plan) paths = paths.slice(1);
  const reportPath = await reportTarget(options.report, io);
  const run: Run = { status: 'refused', reasons: [], results: [] };
  let code = 1;
  let threw = false;
  try {
    code = saved ? await applySaved(saved, paths, options, io, o, run) : await applyFresh(paths, options, io, o, run);
  } catch (cause) {
    run.reasons.push((cause as Error).message);
    threw = true;
    throw cause;
  } finally {
    const report = applyReport(run.results, { toolVersion: VERSION, env: run.env ?? options.env ?? 'unknown', status: run.status, reasons: run.reasons, showInviteLinks: options.showInviteLinks });
    // A thrown error is printed as the diagnostics document by main: one document on stdout.
    if (o.format === 'json' && !run.printed && !threw) o.data(`${JSON.stringify(report, null, 2)}\n`);
    if (reportPath) {
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
  const prepared = await preparePlan(paths, options, io, o, pruneScopes);
  if (!prepared) {
    run.reasons.push('the config has errors');
    run.printed = true;
    return 1;
  }
  const { plan, session, config, asOf } = prepared;
  run.env = session.env;
  try {
    o.out(renderPlan(plan, planDocument(plan, planMeta(config, session.env, { ...options, asOf })), asPlanOutput(o), options));
    if (hasErrors(plan.diagnostics)) {
      run.reasons.push(...plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.address ? `${d.address}: ` : ''}${d.message}`));
      return 1;
    }
    return await execute(plan, session, options, io, o, run);
  } finally {
    await session.close();
  }
}

async function execute(plan: Plan, session: Session, options: ApplyOptions, io: Io, o: Output, run: Run): Promise<number> {
  const safety = checkSafety(plan, deleteLimits(options));
  if (safety.blocked) {
    run.status = 'blocked';
    run.reasons.push(...safety.reasons);
    return decline(o, `${o.style.error('blocked')}: ${safety.reasons.join('; ')}. Nothing was written. Review the deletes and updates, or pass --force to proceed.\n`, 3);
  }
  if (!hasChanges(plan)) {
    run.status = 'no-changes';
    const unverified = summarize(plan).unverified;
    const scheduled = summarize(plan).scheduled;
    const later = scheduled ? ` ${scheduled} change(s) wait for their date (Scheduled, above).` : '';
    const notDue = notDueSentence(plan);
    o.out(unverified ? `Nothing to write; ${unverified} object(s) have declared fields downline cannot verify (listed above).${later}${notDue ? ` ${notDue}` : ''}\n`
      : notDue ? `Nothing is due. ${notDue}${later}\n` : `No changes. The live account matches the config.${later}\n`);
    return 0;
  }
  if (!options.autoApprove) {
    if (!io.prompt) {
      run.reasons.push('not approved: no --auto-approve and no terminal to ask');
      return decline(o, 'error: refusing to apply without --auto-approve: this is not an interactive terminal. Nothing was written.\n', 1);
    }
    // An interrupted prompt (Ctrl-C) is a "no".
    const answer = await io.prompt(`Apply these changes to ${session.env}? Only 'yes' is accepted: `).catch(() => '');
    if (answer.trim() !== 'yes') {
      run.reasons.push('cancelled at the prompt');
      return decline(o, 'Apply cancelled. Nothing was written.\n', 1);
    }
  }
  const writes = plan.changes.filter((c) => c.operation !== null);
  run.status = 'applied';
  const concurrency = options.concurrency;
  const applied = await applyPlan(plan.changes, session.api, {
    kinds: KINDS,
    concurrency,
    onEvent: progressReporter(o, writes.length, io.isTTY && o.format !== 'github'),
    signal: io.signal,
  });
  // Another apply at the same moment may have created the same keys: read them again before claiming success.
  // After Ctrl-C no new request may start: the next plan shows any duplicate instead.
  const { results, unverified } = io.signal?.aborted ? { results: applied, unverified: undefined } : await verifyCreates(plan.changes, applied, session.api, concurrency);
  run.results = results;
  const notStarted = results.filter((r) => r.error === NOT_STARTED).length;
  if (io.signal?.aborted) {
    run.status = 'interrupted';
    run.reasons.push(`interrupted (${String(io.signal.reason)}): ${notStarted} change(s) not started`);
  }
  if (unverified) run.reasons.push(`reading the created objects again failed: ${unverified}`);
  const report = applyReport(run.results, { toolVersion: VERSION, env: session.env, status: run.status, showInviteLinks: options.showInviteLinks });
  o.out(renderApplySummary(report, o.style));
  if (unverified) o.err(`${o.style.error('error')}: the writes are done, but reading them again to check for another writer failed (${unverified}); run plan to check the account.\n`);
  if (io.signal?.aborted) {
    o.err(`Apply interrupted (${String(io.signal.reason)}): ${report.summary.succeeded} change(s) done, ${notStarted} not started (listed above as skipped)${options.report ? `; report written to ${options.report}` : ''}. Run plan, then apply again to finish.\n`);
  }
  return report.summary.failed > 0 || report.summary.skipped > 0 || unverified ? 1 : 0;
}

/**
 * A saved plan is a reviewed artifact, not a program: the plan is derived again from the config it
 * records and the live account, and executed — operations built by the kind modules, never read
 * from the file — only when every change equals the saved one.
 */
async function applySaved(file: string, paths: string[], options: ApplyOptions, io: Io, o: Output, run: Run): Promise<number> {
  const doc = await readSavedPlan(file, resolve(io.cwd, file));
  run.env = doc.env;
  const refused = (reasons: string[], advice: string) => {
    run.reasons.push(...reasons);
    return decline(o, `error: ${file} is not applied; nothing was written:\n${reasons.map((r) => `  - ${r}\n`).join('')}${advice}\n`, 1);
  };
  const savedErrors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (savedErrors.length > 0) return refused(savedErrors.map((d) => `the plan has an error: ${d.message}`), 'A plan with errors is never executable: fix the config, then plan again.');
  const env = chooseEnv(options, io);
  if (env !== doc.env) return refused([`the plan is for --env ${doc.env}, not ${env}`], `Apply it with --env ${doc.env}, or plan again for ${env}.`);
  // Without PATH arguments the plan's own config paths are read from the repository root, wherever the command runs.
  const where = paths.length > 0 ? { paths, cwd: io.cwd } : { paths: doc.configPaths, cwd: await repoRoot(io.cwd) };
  // The plan's own reference date and due-only limit: a plan reviewed for 2027-01-01 is re-derived for 2027-01-01.
  if (options.asOf !== undefined && doc.asOf !== undefined && options.asOf !== doc.asOf) return refused([`the plan was made --as-of ${doc.asOf}, not ${options.asOf}`], `Apply it without --as-of, or plan again --as-of ${options.asOf}.`);
  const prepared = await preparePlan(where.paths, { ...options, env, target: doc.targets, since: doc.since, pushUnverified: doc.pushUnverified, asOf: doc.asOf ?? options.asOf, onlyDue: doc.onlyDue }, io, o, pruneScopes, where.cwd);
  if (!prepared) {
    run.printed = true;
    return refused(['the config has errors'], 'Fix the config, then plan again.');
  }
  const { plan, session, config } = prepared;
  try {
    if (config.digest !== doc.configDigest) return refused([`the config (${config.paths.join(', ')}, with its \${env:…} values) differs from the one the plan was made from`], 'Run plan again and review the new plan.');
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return refused(errors.map((d) => `${d.address ? `${d.address}: ` : ''}${d.message}`), 'A plan with errors is never executable: fix the config, then plan again.');
    const differences = comparePlans(doc.changes, plan.changes);
    if (differences.length > 0) {
      return refused(differences.map((d) => `${label(d)} ${d.reason}`), 'The account or the file changed since the plan was made. Run plan again and review the new plan.');
    }
    o.out(renderPlan(plan, planDocument(plan, planMeta(config, session.env, { target: doc.targets, since: doc.since, pushUnverified: doc.pushUnverified, asOf: prepared.asOf, onlyDue: doc.onlyDue })), asPlanOutput(o), options));
    return await execute(plan, session, { ...options, autoApprove: true }, io, o, run);
  } finally {
    await session.close();
  }
}
