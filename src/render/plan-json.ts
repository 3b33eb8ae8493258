import type { Attribution } from '../core/attribution.js';
import { summarize, type PlanSummary } from '../core/compute-plan.js';
import { hierarchyChanges, type PositionChange } from '../core/hierarchy-plan.js';
import type { Change, Diagnostic, Plan, UncomparableField, UnmanagedObject } from '../core/types.js';
import { jsonText } from './escape.js';

export const PLAN_FORMAT_VERSION = 1;

/**
 * The JSON plan (`plan --format json`) and the saved plan (`plan --out`) are one versioned
 * document; the README documents its schema. It never holds credentials or tokens.
 */
export interface PlanDocument {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  tool: 'downline';
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
  summary: PlanSummary;
  changes: Change[];
  unmanaged: UnmanagedObject[];
  uncomparable: UncomparableField[];
  diagnostics: Diagnostic[];
  /** `plan --drift` only: who changed each drifted assignment and when (newest changelog entry). */
  drift?: Attribution[];
  /** Position changes on each product's hierarchy, derived from `changes` (for review; apply ignores it). */
  hierarchy: PositionChange[];
}

export interface PlanMeta {
  toolVersion: string;
  env: string;
  configDigest: string;
  configPaths: string[];
  targets: string[];
  since?: string;
  pushUnverified?: boolean;
}

export function planDocument(plan: Plan, meta: PlanMeta): PlanDocument {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: 'downline',
    ...meta,
    summary: summarize(plan),
    changes: plan.changes,
    unmanaged: plan.unmanaged,
    uncomparable: plan.uncomparable,
    diagnostics: plan.diagnostics,
    hierarchy: hierarchyChanges(plan),
  };
}

export function renderPlanJson(doc: PlanDocument): string {
  return `${jsonText(JSON.stringify(doc, null, 2))}\n`;
}
