import type { Attribution } from '../core/attribution.js';
import { summarize, type PlanSummary } from '../core/compute-plan.js';
import { hierarchyChanges, type PositionChange } from '../core/hierarchy-plan.js';
import type { SafetyVerdict } from '../core/safety.js';
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
  /**
   * `ok`; `failed` (the plan has errors: never applied, its summary is not an outcome); `blocked` (a
   * delete or update limit: apply refuses it without --force). Additive in formatVersion 1.
   */
  status: PlanStatus;
  /** Why it failed (the errors, with their object's address) or is blocked (the limits exceeded). */
  reasons: string[];
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

export type PlanStatus = 'ok' | 'failed' | 'blocked';

/** Errors come first: a plan with errors is never applied, whatever its limits would say. */
function planStatus(plan: Plan, safety: SafetyVerdict | undefined): { status: PlanStatus; reasons: string[] } {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { status: 'failed', reasons: errors.map((d) => `${d.address ? `${d.address}: ` : ''}${d.message}`) };
  if (safety?.blocked) return { status: 'blocked', reasons: safety.reasons };
  return { status: 'ok', reasons: [] };
}

export function planDocument(plan: Plan, meta: PlanMeta, safety?: SafetyVerdict): PlanDocument {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    tool: 'downline',
    ...meta,
    ...planStatus(plan, safety),
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
