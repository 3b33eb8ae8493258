import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ObservedResponse } from '../api/http.js';
import { chooseEnv, connect, SCOPE, type Session } from '../commands/connect.js';
import { output, UserError, type CommonOptions, type Io } from '../commands/io.js';
import { loadConfig } from '../config/load.js';
import { VERSION } from '../version.js';
import { CHECKS, type Check } from './checks.js';
import { asApiError, DoctorContext } from './context.js';
import { plannedWrites, probeName, runProbe, type ProbeCheck, type ProbeResult } from './probe.js';
import { renderJson, renderMarkdown, renderText } from './render.js';
import { cannot, differs, skipped, type CheckResult, type DoctorReport, type Outcome, type Status } from './types.js';

export interface DoctorCommandOptions extends Omit<CommonOptions, 'format'> {
  format?: 'text' | 'json' | 'markdown';
  writeProbe?: boolean;
  testNpn?: string;
  testUplineNpn?: string;
  org?: string;
  out?: string;
}

const NPN = /^\d{1,15}$/;

/**
 * `downline doctor`: every API assumption as a check against the chosen account. Read-only unless
 * --write-probe (refused against production before any request). Exit 1 when anything differs.
 */
export async function doctorCommand(paths: string[], options: DoctorCommandOptions, io: Io): Promise<number> {
  const env = chooseEnv(options, io);
  if (options.writeProbe && env === 'production') {
    throw new UserError('--write-probe is refused against production: it creates, updates and deletes probe objects and leaves a carrier behind. Run it against --env sandbox');
  }
  for (const [flag, value] of [['--test-npn', options.testNpn], ['--test-upline-npn', options.testUplineNpn]] as const) {
    if (value !== undefined && !NPN.test(value)) throw new UserError(`${flag} must be an NPN (1 to 15 digits), got "${value}"`);
  }
  if (options.testUplineNpn && !options.testNpn) throw new UserError('--test-upline-npn needs --test-npn');
  const o = output(io, { ...options, format: 'text' });
  const configOrg = options.org ? undefined : await organizationFromConfig(paths, io);
  const observed: ObservedResponse[] = [];
  const doctorOptions = { org: options.org, configOrg, testNpn: options.testNpn, testUplineNpn: options.testUplineNpn, concurrency: options.concurrency };
  const { session, ctx } = await open({ ...options, env, format: undefined }, io, paths, observed, doctorOptions);
  try {
    const { results, probe } = await runChecks(ctx, options, (text) => o.err(text), `${env} (${new URL(session.urls.api).host})`);
    const report = buildReport(results, session, env, probe, Boolean(options.writeProbe));
    if (options.out) await writeFile(resolve(io.cwd, options.out), renderJson(report));
    const format = options.format ?? 'text';
    o.out(format === 'json' ? renderJson(report) : format === 'markdown' ? renderMarkdown(report) : renderText(report, o.style));
    return report.summary.differs > 0 ? 1 : 0;
  } finally {
    await session.close();
  }
}

/** Connect asking for every scope; a token endpoint that refuses a scope it did not provision (400) gets a read-only try. */
async function open(options: CommonOptions, io: Io, paths: string[], observed: ObservedResponse[], doctorOptions: DoctorContext['options']): Promise<{ session: Session; ctx: DoctorContext }> {
  const observe = (r: ObservedResponse) => void observed.push(r);
  const session = await connect(options, io, [SCOPE.read, SCOPE.write, SCOPE.delete], paths, { observe });
  const ctx = new DoctorContext(session.api, session.urls, observed, doctorOptions);
  if ((await ctx.connection()).tokenError?.status !== 400) return { session, ctx };
  await session.close();
  const readOnly = await connect(options, io, [SCOPE.read], paths, { observe });
  return { session: readOnly, ctx: new DoctorContext(readOnly.api, readOnly.urls, observed, doctorOptions) };
}

/** The table in order: connection and read checks, the write probe, then the checks that read every response seen. */
async function runChecks(ctx: DoctorContext, options: DoctorCommandOptions, err: (text: string) => void, where: string): Promise<{ results: CheckResult[]; probe?: ProbeResult }> {
  const connection = await ctx.connection();
  const reachable = !connection.tokenError && !connection.apiError;
  const results = new Map<string, Outcome>();
  // Turris has its own credentials and host: it is checked even when AgentSync could not be reached.
  const runnable = (c: Check) => reachable || c.mode === 'env' || c.group === 'turris' || c.id === 'invitation';
  const unreached = cannot('the API was not reached (see the connection checks)');
  for (const check of CHECKS.filter((c) => c.mode !== 'probe' && !c.last)) results.set(check.id, runnable(check) ? await runCheck(check, ctx) : unreached);
  let probe: ProbeResult | undefined;
  if (options.writeProbe && reachable) {
    const name = probeName(new Date());
    const planned = plannedWrites(name, options);
    err(`doctor: the write probe will make these writes in ${where}, in this order:\n${planned.map(([m, p, why], i) => `  ${i + 1}. ${m} ${p} — ${why}`).join('\n')}\n`);
    probe = await runProbe(ctx, name, (line) => err(`doctor: ${line}\n`));
  }
  for (const check of CHECKS.filter((c) => c.mode === 'probe')) {
    results.set(check.id, probe ? probe.outcomes[check.id as ProbeCheck] ?? cannot('an earlier probe step failed') : options.writeProbe ? unreached : skipped('needs --write-probe (in a sandbox)'));
  }
  for (const check of CHECKS.filter((c) => c.last)) results.set(check.id, runnable(check) ? await runCheck(check, ctx) : unreached);
  return { results: CHECKS.map((c) => ({ id: c.id, group: c.group, assumption: c.assumption, constant: c.constant, ...results.get(c.id)! })), probe };
}

/** A failed request inside a check is its result: 4xx differs (the endpoint is not as assumed), the rest could not check. */
async function runCheck(check: Check, ctx: DoctorContext): Promise<Outcome> {
  try {
    return await check.run!(ctx);
  } catch (cause) {
    const e = asApiError(cause);
    if (e.status === 401 || e.status === 403) return cannot(`not allowed: ${e.message}`);
    if (e.status >= 400 && e.status < 500) return differs(e.message);
    return cannot(e.message);
  }
}

function buildReport(checks: CheckResult[], session: Session, env: string, probe: ProbeResult | undefined, writeProbe: boolean): DoctorReport {
  const summary: Record<Status, number> = { holds: 0, differs: 0, 'could-not-check': 0, skipped: 0 };
  for (const c of checks) summary[c.status] += 1;
  // Hosts only: a URL's path and query may carry nothing secret, but the origin is all a reader needs.
  const origin = (url: string) => new URL(url).origin + new URL(url).pathname;
  return {
    formatVersion: 1, tool: 'downline', toolVersion: VERSION, env, hosts: { api: origin(session.urls.api), token: origin(session.urls.token) }, writeProbe, summary, checks,
    writes: probe?.writes ?? [], leftovers: probe?.leftovers ?? [],
  };
}

/** The org for the Hierarchies checks: the config's agency.organizationId, when a config is there. */
async function organizationFromConfig(paths: string[], io: Io): Promise<string | undefined> {
  if (paths.length === 0 && !existsSync(join(io.cwd, 'downline.yaml'))) return undefined;
  const config = await loadConfig(paths, io.cwd, io.env);
  return config.state.agency.organizationId;
}
