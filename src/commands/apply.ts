import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { applyPlan, NOT_STARTED } from '../core/apply-plan.js';
import { hasChanges, summarize } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import { fingerprint } from '../core/fingerprint.js';
import type { ApiPort } from '../core/ports.js';
import { checkSafety } from '../core/safety.js';
import type { Change, Plan } from '../core/types.js';
import { kindOf, KINDS } from '../kinds/index.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { label } from '../render/labels.js';
import { parsePlanDocument, planDocument } from '../render/plan-json.js';
import { applyReport, renderApplySummary } from '../render/report.js';
import { VERSION } from '../version.js';
import { connect, SCOPE, type Session } from './connect.js';
import { output, refuse, UserError, type Io, type Output } from './io.js';
import { deleteLimits, renderPlan, type PlanOptions } from './plan.js';
import { preparePlan } from './prepare.js';
import { progressReporter } from './progress.js';
import { verifyCreates } from './verify.js';

export interface ApplyOptions extends PlanOptions {
  autoApprove?: boolean;
  plan?: string;
  report?: string;
}

/** apply's stdout is for people: a JSON request means the report, the plan shows as text. */
const asPlanOutput = (o: Output): Output => (o.format === 'json' ? { ...o, format: 'text' } : o);

/** Under --format json stdout carries one JSON document (`o.data`); everything for people goes to stderr. */
const peopleOnStderr = (o: Output): Output => (o.format === 'json' ? { ...o, out: o.err } : o);

const scopesFor = (prune: boolean) => [SCOPE.read, SCOPE.write, ...(prune ? [SCOPE.delete] : [])];

/** plan → confirm → execute, or execute a saved plan after checking it is not stale. */
export async function applyCommand(paths: string[], options: ApplyOptions, io: Io): Promise<number> {
  const o = peopleOnStderr(output(io, options));
  if (options.plan) return applySaved(paths, options, io, o);
  const prepared = await preparePlan(paths, options, io, o, (c) => scopesFor(Object.values(c.state.prune).some(Boolean)));
  if (!prepared) return 1;
  const { plan, session, config } = prepared;
  try {
    o.out(renderPlan(plan, planDocument(plan, { toolVersion: VERSION, env: session.env, configDigest: config.digest }), asPlanOutput(o), options));
    if (hasErrors(plan.diagnostics)) {
      if (o.format === 'json') o.data(renderDiagnostics(plan.diagnostics, 'json', o.style));
      return 1;
    }
    return await execute(plan, session, options, io, o);
  } finally {
    await session.close();
  }
}

async function execute(plan: Plan, session: Session, options: ApplyOptions, io: Io, o: Output): Promise<number> {
  const safety = checkSafety(plan, deleteLimits(options));
  if (safety.blocked) {
    return refuse(o, `${o.style.error('blocked')}: ${safety.reasons.join('; ')}. Nothing was written. Review the deletes and updates, or pass --force to proceed.\n`, 3);
  }
  if (!hasChanges(plan)) {
    const unverified = summarize(plan).unverified;
    o.out(unverified ? `Nothing to write; ${unverified} object(s) have declared fields downline cannot verify (listed above).\n` : 'No changes. The live account matches the config.\n');
    if (o.format === 'json') o.data(`${JSON.stringify(applyReport([], { toolVersion: VERSION, env: session.env }), null, 2)}\n`);
    return 0;
  }
  if (!options.autoApprove) {
    if (!io.prompt) return refuse(o, 'error: refusing to apply without --auto-approve: this is not an interactive terminal. Nothing was written.\n', 1);
    // An interrupted prompt (Ctrl-C) is a "no".
    const answer = await io.prompt(`Apply these changes to ${session.env}? Only 'yes' is accepted: `).catch(() => '');
    if (answer.trim() !== 'yes') return refuse(o, 'Apply cancelled. Nothing was written.\n', 1);
  }
  const writes = plan.changes.filter((c) => c.operation !== null);
  const concurrency = options.concurrency;
  const applied = await applyPlan(plan.changes, session.api, {
    kinds: KINDS,
    concurrency,
    onEvent: progressReporter(o, writes.length, io.isTTY && o.format !== 'github'),
    signal: io.signal,
  });
  // Another apply at the same moment may have created the same keys: read them again before claiming success.
  const { results, unverified } = await verifyCreates(plan.changes, applied, session.api, concurrency);
  const report = applyReport(results, { toolVersion: VERSION, env: session.env });
  if (options.report) await writeFile(resolve(io.cwd, options.report), `${JSON.stringify(report, null, 2)}\n`);
  o.out(renderApplySummary(report, o.style));
  if (unverified) o.err(`${o.style.error('error')}: the writes are done, but reading them again to check for another writer failed (${unverified}); run plan to check the account.\n`);
  if (o.format === 'json') o.data(`${JSON.stringify(report, null, 2)}\n`);
  if (io.signal?.aborted) {
    const notStarted = results.filter((r) => r.error === NOT_STARTED).length;
    o.err(`Apply interrupted (${String(io.signal.reason)}): ${report.summary.succeeded} change(s) done, ${notStarted} not started (listed above as skipped)${options.report ? `; report written to ${options.report}` : ''}. Run plan, then apply again to finish.\n`);
  }
  return report.summary.failed > 0 || report.summary.skipped > 0 || unverified ? 1 : 0;
}

/** Re-read every object a saved plan touches; anything that moved since the plan is named. */
async function staleObjects(changes: Change[], api: ApiPort): Promise<string[]> {
  const stale: string[] = [];
  for (const change of changes.filter((c) => c.operation !== null)) {
    const kind = kindOf(change.address.kind);
    if (change.action === 'create') {
      if (await kind.locate(change, api, new Map())) stale.push(`${label(change)} was created since the plan`);
    } else if (kind.read && change.fingerprint) {
      try {
        if (fingerprint(await kind.read(change, api)) !== change.fingerprint) stale.push(`${label(change)} changed since the plan`);
      } catch (cause) {
        stale.push(`${label(change)} could not be read again (${(cause as Error).message})`);
      }
    }
  }
  return stale;
}

async function applySaved(paths: string[], options: ApplyOptions, io: Io, o: Output): Promise<number> {
  let doc;
  try {
    doc = parsePlanDocument(await readFile(resolve(io.cwd, options.plan!), 'utf8'));
  } catch (cause) {
    throw new UserError(`cannot read saved plan ${options.plan}: ${(cause as Error).message}`);
  }
  const config = await loadConfig(paths, io.cwd, io.env);
  if (hasErrors(config.diagnostics)) {
    o.err(renderDiagnostics(config.diagnostics, o.format, o.style));
    return 1;
  }
  if (config.digest !== doc.configDigest) {
    o.err('error: the saved plan was made from a different config (digest mismatch). Run plan again and review the new plan.\n');
    return 1;
  }
  const session = await connect(options, io, scopesFor(doc.changes.some((c) => c.action === 'delete')));
  try {
    if (session.env !== doc.env) {
      o.err(`error: the saved plan is for --env ${doc.env}, not ${session.env}.\n`);
      return 1;
    }
    const stale = await staleObjects(doc.changes, session.api);
    if (stale.length > 0) {
      o.err(`error: the saved plan is stale; nothing was written:\n${stale.map((s) => `  - ${s}\n`).join('')}Run plan again and review the new plan.\n`);
      return 1;
    }
    const plan: Plan = { changes: doc.changes, unmanaged: doc.unmanaged, uncomparable: doc.uncomparable, diagnostics: [] };
    o.out(renderPlan(plan, doc, asPlanOutput(o), options));
    return await execute(plan, session, { ...options, autoApprove: true }, io, o);
  } finally {
    await session.close();
  }
}
