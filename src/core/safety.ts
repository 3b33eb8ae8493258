import { census } from './compute-plan.js';
import type { Action, Plan } from './types.js';

export interface DeleteLimits {
  maxDeletes: number;
  maxDeletePercent: number;
  force: boolean;
  /** Largest share of one kind's live objects an apply may update (octoDNS-style; default 30). */
  maxUpdatePercent?: number;
}

/** Below this many live objects of a kind, a percentage says little (1 of 2 is 50%): only the count applies. */
export const PERCENT_FLOOR = 10;

export interface SafetyVerdict {
  blocked: boolean;
  reasons: string[];
}

/**
 * Guard rails checked on the plan before anything is written: too many deletes in total, or too
 * large a share of one kind's live objects in scope, block the apply unless forced. Terminations
 * count like deletes (SPEC §11): ending a contract by mistake is as costly as deleting it.
 */
export function checkDeletes(plan: Plan, limits: DeleteLimits): SafetyVerdict {
  const { actions } = census(plan);
  const deletes = actions.delete + actions.terminate;
  if (deletes === 0 || limits.force) return { blocked: false, reasons: [] };
  const reasons: string[] = [];
  if (deletes > limits.maxDeletes) reasons.push(`${deletes} ${deletionWords(actions.delete, actions.terminate)} exceed --max-deletes ${limits.maxDeletes}`);
  for (const { kind, count, live } of perKind(plan, ['delete', 'terminate'])) {
    const percent = (count / Math.max(1, live)) * 100;
    if (live >= PERCENT_FLOOR && percent > limits.maxDeletePercent) {
      reasons.push(`${count} of ${live} live ${kind} objects (${percent.toFixed(1)}%) exceed --max-delete-percent ${limits.maxDeletePercent}`);
    }
  }
  return { blocked: reasons.length > 0, reasons };
}

/**
 * Mass updates are as dangerous as deletes (a bad `${env:…}` rewrites every level): more than
 * `maxUpdatePercent` of one kind's live objects updated in one plan blocks it unless forced. Like the
 * delete percentage, it applies from PERCENT_FLOOR live objects of that kind.
 */
export function checkUpdates(plan: Plan, limits: DeleteLimits): SafetyVerdict {
  if (census(plan).actions.update === 0 || limits.force || limits.maxUpdatePercent === undefined) return { blocked: false, reasons: [] };
  const reasons: string[] = [];
  for (const { kind, count, live } of perKind(plan, ['update'])) {
    const percent = (count / Math.max(1, live)) * 100;
    if (live >= PERCENT_FLOOR && percent > limits.maxUpdatePercent) {
      reasons.push(`${count} of ${live} live ${kind} objects (${percent.toFixed(1)}%) would be updated, over --max-update-percent ${limits.maxUpdatePercent}`);
    }
  }
  return { blocked: reasons.length > 0, reasons };
}

/** Every guard rail at once: what plan reports and what apply refuses. */
export function checkSafety(plan: Plan, limits: DeleteLimits): SafetyVerdict {
  const reasons = [...checkDeletes(plan, limits).reasons, ...checkUpdates(plan, limits).reasons];
  return { blocked: reasons.length > 0, reasons };
}

/** "deletes", "terminations" or "deletes and terminations": what the limit counted. */
function deletionWords(deletes: number, terminations: number): string {
  return deletes > 0 && terminations > 0 ? 'deletes and terminations' : terminations > 0 ? 'terminations' : 'deletes';
}

/** The kinds with changes of these actions: how many, against the live objects of that kind in scope (changes against a live object, plus the unmanaged). */
function perKind(plan: Plan, actions: Action[]) {
  return Object.entries(census(plan).kinds)
    .map(([kind, k]) => ({ kind, count: actions.reduce((n, a) => n + k.actions[a], 0), live: k.live }))
    .filter((k) => k.count > 0);
}
