import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { hasChanges } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import { checkSafety, type DeleteLimits } from '../core/safety.js';
import type { Plan } from '../core/types.js';
import { annotation } from '../render/diagnostics.js';
import { planDocument, renderPlanJson, type PlanDocument } from '../render/plan-json.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import { SCOPE } from './connect.js';
import { output, type CommonOptions, type Io, type Output } from './io.js';
import { preparePlan } from './prepare.js';
import { planMeta } from './saved-plan.js';

export interface PlanOptions extends CommonOptions {
  out?: string;
  detailedExitcode?: boolean;
  target?: string[];
  drift?: boolean;
  since?: string;
  pushUnverified?: boolean;
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
export function renderPlan(plan: Plan, doc: PlanDocument, o: Output, options: { verbose?: boolean; drift?: boolean; blocked?: string[] }): string {
  switch (o.format) {
    case 'json':
      return renderPlanJson(doc);
    case 'markdown':
      return renderPlanMarkdown(plan, { verbose: Boolean(options.verbose), drift: options.drift, env: doc.env, blocked: options.blocked });
    case 'github':
      return renderPlanText(plan, o.style, { verbose: Boolean(options.verbose), drift: options.drift }) + plan.diagnostics.map((d) => `${annotation(d)}\n`).join('');
    case 'text':
      return renderPlanText(plan, o.style, { verbose: Boolean(options.verbose), drift: options.drift });
  }
}

/** Read-only: live state → plan. Exit 0 (no changes), 2 (changes, with --detailed-exitcode), 3 (blocked), 1 (error). */
export async function planCommand(paths: string[], options: PlanOptions, io: Io): Promise<number> {
  const o = output(io, options);
  const prepared = await preparePlan(paths, options, io, o, () => [SCOPE.read]);
  if (!prepared) return 1;
  const { plan, config, session } = prepared;
  try {
    const doc = planDocument(plan, planMeta(config, session.env, options));
    if (options.out) await writeFile(resolve(io.cwd, options.out), renderPlanJson(doc));
    const safety = checkSafety(plan, deleteLimits(options));
    o.out(renderPlan(plan, doc, o, { ...options, blocked: safety.blocked ? safety.reasons : undefined }));
    if (hasErrors(plan.diagnostics)) return 1;
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
