import type { Attribution } from '../core/attribution.js';
import { summarize, type PlanSummary } from '../core/compute-plan.js';
import { hierarchyChanges, type PositionChange } from '../core/hierarchy-plan.js';
import type { Change, Diagnostic, Plan, ScheduledChange, UncomparableField, UnmanagedObject } from '../core/types.js';
import { jsonText } from './escape.js';

export const PLAN_FORMAT_VERSION = 1;

/** How a plan was made: what `apply --plan FILE` needs to derive it again the same way. */
export interface PlanMeta {
  toolVersion: string;
  env: string;
  /** sha256 of the interpolated config: apply --plan refuses a plan made from another config. */
  configDigest: string;
  /** The config PATH arguments, relative to the repository root: what `apply --plan FILE` loads. */
  configPaths: string[];
  /** `--target` addresses the plan was limited to (re-derived the same way at apply time). */
  targets: string[];
  /** `--since REF` and `--push-unverified` as given to plan (re-derived the same way at apply time). */
  since?: string;
  pushUnverified?: boolean;
  /** The reference date for `effective:` / `until:` (re-derived with it at apply time; additive in formatVersion 1). */
  asOf?: string;
  /** `--only-due`: limited to the changes that came due. */
  onlyDue?: boolean;
}

/**
 * The JSON plan (`plan --format json`) and the saved plan (`plan --out`) are one versioned
 * document; the README documents its schema. It never holds credentials or tokens.
 */
export interface PlanDocument extends PlanMeta {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  tool: 'downline';
  summary: PlanSummary;
  changes: Change[];
  /** Changes waiting for their date: shown, never executed (additive in formatVersion 1). */
  scheduled: ScheduledChange[];
  unmanaged: UnmanagedObject[];
  uncomparable: UncomparableField[];
  diagnostics: Diagnostic[];
  /** `plan --drift` only: who changed each drifted assignment and when (newest changelog entry). */
  drift?: Attribution[];
  /** Position changes on each product's hierarchy, derived from `changes` (for review; apply ignores it). */
  hierarchy: PositionChange[];
}

export function planDocument(plan: Plan, meta: PlanMeta): PlanDocument {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: 'downline',
    ...meta,
    summary: summarize(plan),
    changes: plan.changes,
    scheduled: plan.scheduled ?? [],
    unmanaged: plan.unmanaged,
    uncomparable: plan.uncomparable,
    diagnostics: plan.diagnostics,
    hierarchy: hierarchyChanges(plan),
  };
}

export function renderPlanJson(doc: PlanDocument): string {
  return `${jsonText(JSON.stringify(doc, null, 2))}\n`;
}
