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
  summary: PlanSummary;
  changes: Change[];
  unmanaged: UnmanagedObject[];
  uncomparable: UncomparableField[];
  diagnostics: Diagnostic[];
  /** Position changes on each product's hierarchy, derived from `changes` (for review; apply ignores it). */
  hierarchy: PositionChange[];
}

export function planDocument(plan: Plan, meta: { toolVersion: string; env: string; configDigest: string }): PlanDocument {
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

/** Read back a saved plan, checking only what apply relies on. */
export function parsePlanDocument(text: string): PlanDocument {
  const doc = JSON.parse(text) as PlanDocument;
  if (!doc || doc.tool !== 'downline' || doc.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(doc.changes)) {
    throw new Error(`not a downline plan of formatVersion ${PLAN_FORMAT_VERSION}`);
  }
  return doc;
}
