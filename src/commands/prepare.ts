import { discover } from '../api/discover.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { computePlan } from '../core/compute-plan.js';
import { hasErrors } from '../core/diagnostics.js';
import type { LiveSnapshot } from '../core/live.js';
import type { Plan } from '../core/types.js';
import { KINDS } from '../kinds/index.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { connect, type Session } from './connect.js';
import { readinessDiagnostics } from './readiness.js';
import type { CommonOptions, Io, Output } from './io.js';

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
 */
export async function preparePlan(paths: string[], options: CommonOptions & { target?: string[] }, io: Io, o: Output, scopes: (config: LoadedConfig) => string[]): Promise<Prepared | undefined> {
  const config = await loadConfig(paths, io.cwd, io.env);
  if (hasErrors(config.diagnostics)) {
    o.err(renderDiagnostics(config.diagnostics, o.format, o.style));
    return undefined;
  }
  const session = await connect(options, io, scopes(config));
  try {
    const concurrency = Math.max(1, Number.parseInt(options.concurrency, 10) || 4);
    const live = await discover(session.api, config.state, concurrency);
    const plan = computePlan(config.state, live, KINDS, { targets: options.target });
    plan.diagnostics.push(...await readinessDiagnostics(session.api, plan, config.state, live, concurrency, new Date().toISOString().slice(0, 10)));
    plan.diagnostics.unshift(...config.diagnostics);
    return { config, session, plan, live };
  } catch (cause) {
    await session.close();
    throw cause;
  }
}
