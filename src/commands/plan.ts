import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Attribution } from '../core/attribution.js';
import { hasChanges } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import { checkSafety, type DeleteLimits } from '../core/safety.js';
import type { Plan } from '../core/types.js';
import { annotation, renderDiagnostics } from '../render/diagnostics.js';
import { planDocument, renderPlanJson, type PlanDocument } from '../render/plan-json.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import { SCOPE } from './connect.js';
import { output, type CommonOptions, type Io, type Output } from './io.js';
import { checkOutFile } from './out-file.js';
import { driftAttributions } from './drift.js';
import { preparePlan } from './prepare.js';
import { planMeta } from './saved-plan.js';

export interface PlanOptions extends CommonOptions {
  out?: string;
  detailedExitcode?: boolean;
  target?: string[];
  drift?: boolean;
  /** With drift: write the live values into the config files instead of planning to revert them. */
  adopt?: boolean;
  since?: string;
  pushUnverified?: boolean;
  /** `--as-of YYYY-MM-DD` (else DOWNLINE_AS_OF, else today): the reference date for effective / until. */
  asOf?: string;
  /** `--only-due`: only the changes whose effective / until date has come. */
  onlyDue?: boolean;
  maxDeletes: number;
  maxDeletePercent: number;
  /** Parsed by commander (percentage). */
  maxUpdatePercent: number;
  force?: boolean;
}

export function deleteLimits(options: PlanOptions): DeleteLimits {
  return { maxDeletes: options.maxDeletes, maxDeletePercent: options.maxDeletePercent, maxUpdatePercent: options.maxUpdatePercent, force: Boolean(options.force) };
}

/** Render a plan in the chosen format (text, github: text + annotations, json, markdown). */
export function renderPlan(plan: Plan, doc: PlanDocument, o: Output, options: { verbose?: boolean; drift?: boolean; blocked?: string[] }, attributions?: readonly Attribution[]): string {
  switch (o.format) {
    case 'json':
      return renderPlanJson(doc);
    case 'markdown':
      return renderPlanMarkdown(plan, { verbose: Boolean(options.verbose), drift: options.drift, env: doc.env, since: doc.since, blocked: options.blocked, attributions });
    case 'github':
      return renderPlanText(plan, o.style, { verbose: Boolean(options.verbose), drift: options.drift, since: doc.since, attributions }) + plan.diagnostics.map((d) => `${annotation(d)}\n`).join('');
    case 'text':
      return renderPlanText(plan, o.style, { verbose: Boolean(options.verbose), drift: options.drift, since: doc.since, attributions });
  }
}

/** Read-only: live state → plan. Exit 0 (no changes), 2 (changes, with --detailed-exitcode), 3 (blocked), 1 (error). */
export async function planCommand(paths: string[], givenOptions: PlanOptions, io: Io): Promise<number> {
  // Adopting drift is a drift check that writes the live values back into the config.
  const options = givenOptions.adopt ? { ...givenOptions, drift: true } : givenOptions;
  const o = output(io, options);
  await checkOutFile('--out', options.out, 'the saved plan', io.cwd);
  const prepared = await preparePlan(paths, options, io, o, () => [SCOPE.read]);
  if (!prepared) return 1;
  const { plan, config, session, live, asOf } = prepared;
  try {
    const drift = options.drift ? await driftAttributions(session.api, plan, live, options.concurrency) : undefined;
    if (drift) plan.diagnostics.push(...drift.diagnostics);
    const safety = checkSafety(plan, deleteLimits(options));
    const doc = { ...planDocument(plan, planMeta(config, session.env, { ...options, asOf }), safety), ...(drift ? { drift: drift.attributions } : {}) };
    if (options.out) await writeFile(resolve(io.cwd, options.out), renderPlanJson(doc));
    o.out(renderPlan(plan, doc, o, { ...options, blocked: safety.blocked ? safety.reasons : undefined }, drift?.attributions));
    if (hasErrors(plan.diagnostics)) return 1;
    if (options.adopt) {
      // Loaded only for --adopt: the YAML, CSV and workbook editors a plain plan never needs.
      const adopted = await (await import('./adopt.js')).adoptDrift(plan, io.cwd);
      if (adopted.diagnostics.length > 0) o.err(renderDiagnostics(adopted.diagnostics, o.format === 'json' ? 'text' : o.format, o.style));
      const written = adopted.files.map((f) => `${f.file} (${f.values})`).join(', ');
      // Only a complete adoption may promise a clean next plan: a value left out (a warning above) still shows.
      const left = adopted.diagnostics.length;
      const after = left ? `${left} drifted value(s) were not adopted (see above): the next plan still shows them` : 'a plan of the adopted config shows no drift';
      o.err(written ? `Adopted the live values into ${written}: review with git diff; ${after}.\n` : `Nothing to adopt${left ? `: ${left} drifted value(s) could not be written (see above)` : ': no drifted value is declared in the config'}.\n`);
      if (hasErrors(adopted.diagnostics)) return 1;
    }
    if (safety.blocked) {
      o.err(`${o.style.error('blocked')}: ${safety.reasons.join('; ')}. Apply would refuse this plan; review the deletes and updates, or pass --force.\n`);
      if (options.detailedExitcode) return 3;
    }
    if (options.detailedExitcode) return hasChanges(plan) ? 2 : 0;
    return 0;
  } finally {
    await session.close();
  }
}
