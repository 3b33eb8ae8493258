import { resolve } from 'node:path';
import { discover } from '../api/discover.js';
import { fetchContractHistory, invitedProducts } from '../api/history.js';
import { loadConfig, productionIdentityDiagnostics, type LoadedConfig } from '../config/load.js';
import { computePlan } from '../core/compute-plan.js';
import { hasErrors, warning } from '../core/diagnostics.js';
import type { LiveSnapshot } from '../core/live.js';
import type { Plan } from '../core/types.js';
import { KINDS } from '../kinds/index.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { connect, type Session } from './connect.js';
import { readinessDiagnostics } from './readiness.js';
import type { CommonOptions, Io, Output } from './io.js';
import { configAt } from './since.js';

export interface Prepared {
  config: LoadedConfig;
  session: Session;
  plan: Plan;
  /** What discovery read: `plan --drift` looks up the drifted assignments' products in it. */
  live: LiveSnapshot;
}

/**
 * The pipeline `plan` and `apply` share: load → validate → connect → discover → computePlan.
 * Returns undefined (after printing diagnostics) when the config is invalid; the caller closes the session.
 * `configDir` is where PATHs are relative to (a saved plan's are relative to the repository root).
 */
export async function preparePlan(paths: string[], options: CommonOptions & { target?: string[]; since?: string; pushUnverified?: boolean }, io: Io, o: Output, scopes: (config: LoadedConfig) => string[], configDir = io.cwd): Promise<Prepared | undefined> {
  const config = await loadConfig(paths, configDir, io.env);
  if (hasErrors(config.diagnostics)) {
    // Under --format json the diagnostics are the command's document: stdout, parseable.
    (o.format === 'json' ? o.data : o.err)(renderDiagnostics(config.diagnostics, o.format, o.style));
    return undefined;
  }
  const since = options.since === undefined ? undefined : await configAt(options.since, paths, configDir, io.env);
  // No base commit (a push that created the branch): nothing to compare with, so write them all.
  const pushUnverified = Boolean(options.pushUnverified) || (options.since !== undefined && !since);
  if (since) config.diagnostics.push(...since.diagnostics);
  if (options.since !== undefined && !since) config.diagnostics.push(warning(`--since ${options.since} names no commit (a new branch): every declared field the API does not read back is written`));
  const session = await connect(options, io, scopes(config), paths.map((p) => resolve(configDir, p)));
  const identity = session.env === 'local' ? [] : productionIdentityDiagnostics(config);
  if (identity.length > 0) {
    await session.close();
    (o.format === 'json' ? o.data : o.err)(renderDiagnostics(identity, o.format, o.style));
    return undefined;
  }
  try {
    const concurrency = options.concurrency;
    const live = await discover(session.api, config.state, concurrency);
    const planOptions = { targets: options.target, pushUnverified, ...(since ? { since: { ref: since.ref, state: since.state } } : {}) };
    let plan = computePlan(config.state, live, KINDS, planOptions);
    // Invitations to send: read who held those contracts before, so a second e-mail is said in words.
    const invited = invitedProducts(plan);
    if (invited.size > 0) {
      try {
        live.contractHistory = await fetchContractHistory(session.api, invited, concurrency);
        plan = computePlan(config.state, live, KINDS, planOptions);
      } catch (cause) {
        config.diagnostics.push(warning(`could not read the Hierarchies changelog (${(cause as Error).message}): whether a producer invited by this plan was invited before is unknown`));
      }
    }
    plan.diagnostics.push(...await readinessDiagnostics(session.api, plan, config.state, live, concurrency, new Date().toISOString().slice(0, 10)));
    plan.diagnostics.unshift(...config.diagnostics);
    return { config, session, plan, live };
  } catch (cause) {
    await session.close();
    throw cause;
  }
}
