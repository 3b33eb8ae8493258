import type { Api } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { fetchLicences, LINE_OF_AUTHORITY_CATEGORIES } from '../api/producersync.js';
import type { DesiredState } from '../core/desired.js';
import type { LiveSnapshot } from '../core/live.js';
import { checkReadiness, readinessTargets } from '../core/readiness.js';
import type { Diagnostic, Plan } from '../core/types.js';

/**
 * The licence check of SPEC §15 around the pure core: which creates to check, one batched
 * ProducerSync read for their producers, findings as plan diagnostics. Nothing to create → no request.
 */
export async function readinessDiagnostics(api: Api, plan: Plan, desired: DesiredState, live: LiveSnapshot, concurrency: number, today: string): Promise<Diagnostic[]> {
  const level = desired.readiness.licenses;
  if (level === 'off') return [];
  const targets = readinessTargets(plan, desired, live);
  if (targets.length === 0) return [];
  let licences;
  try {
    licences = await fetchLicences(api, targets.map((t) => t.npn), concurrency);
  } catch (cause) {
    if (!(cause instanceof ApiError)) throw cause;
    // No ProducerSync access (or it is down): one diagnostic, never one per producer. A rule set to
    // `error` fails closed — a gate that could not look is not a gate that passed.
    const why = cause.status === 0 ? cause.code ?? 'network error' : `${cause.status}${cause.messages.length ? ` ${cause.messages.join('; ')}` : ''}`;
    return [{
      severity: level,
      message: `licence check skipped for ${targets.length} new contract(s): ProducerSync answered ${why}`,
      hint: level === 'error'
        ? 'readiness.licenses is error, so the plan fails without the check: grant this client ProducerSync access, or set readiness.licenses: warning'
        : 'grant this client ProducerSync access (AGENTSYNC_PRODUCERSYNC_URL overrides its address), or set readiness.licenses: off',
      ...(desired.readiness.source ? { source: desired.readiness.source } : {}),
    }];
  }
  return checkReadiness(targets, licences, { level, categories: LINE_OF_AUTHORITY_CATEGORIES, today });
}
