import type { Api } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { latestEntries } from '../api/hierarchies.js';
import { attribute, driftedContracts, type Attribution } from '../core/attribution.js';
import { warning } from '../core/diagnostics.js';
import type { LiveSnapshot } from '../core/live.js';
import type { Diagnostic, Plan } from '../core/types.js';

/**
 * `plan --drift`: who changed each drifted assignment and when, from the Hierarchies changelog.
 * No drifted assignment → no request. A changelog that cannot be read costs the names, not the plan.
 */
export async function driftAttributions(api: Api, plan: Plan, live: LiveSnapshot, concurrency: number): Promise<{ attributions: Attribution[]; diagnostics: Diagnostic[] }> {
  const drifted = driftedContracts(plan, live);
  if (drifted.length === 0) return { attributions: [], diagnostics: [] };
  try {
    return { attributions: attribute(drifted, await latestEntries(api, drifted, concurrency)), diagnostics: [] };
  } catch (cause) {
    if (!(cause instanceof ApiError)) throw cause;
    return { attributions: [], diagnostics: [warning(`who changed the ${drifted.length} drifted assignment(s) is unknown: the Hierarchies changelog could not be read (${cause.message})`, undefined, 'the client needs rino_api_agency_read on the Hierarchies API')] };
  }
}
