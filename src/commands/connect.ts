import { existsSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createApi, type Api, type ClientOptions, type Endpoints } from '../api/client.js';
import { LicenceTableError, readLicenceTable, type LicenceTable } from '../emulator/licences.js';
import type { Emulator } from '../emulator/server.js';
import { interruptible } from './interrupt.js';
import { UserError, type CommonOptions, type Io } from './io.js';

export type EnvName = 'local' | 'sandbox' | 'production';

export const SCOPE = { read: 'rino_api_agency_read', write: 'rino_api_agency_write', delete: 'rino_api_agency_delete' } as const;

export interface Session {
  env: EnvName;
  api: Api;
  /** Where the session talks to (no credentials): for reports. */
  urls: { api: string; token: string };
  emulator?: Emulator;
  /** Cancels every request in flight and every pending retry or wait (close() does it too). */
  cancel(): void;
  close(): Promise<void>;
}

const DEFAULTS = {
  sandbox: { base: 'https://api.sandbox.agentsync.io/contracting', token: 'https://auth.sandbox.agentsync.io/oauth2/token', turris: 'https://public.api.sandbox.turrisfi.com' },
  production: { base: 'https://api.agentsync.io/contracting', token: 'https://auth.agentsync.io/oauth2/token', turris: 'https://public.api.live.turrisfi.com' },
};

/** `CI` as CI services set it; `CI=false`, `CI=0` and an empty value mean "not CI" (as in most tools). */
export function isCi(env: Io['env']): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** --env, else DOWNLINE_ENV, else local with a notice — except under CI, where guessing is refused. */
export function chooseEnv(options: CommonOptions, io: Io, localState = '.downline/local-state.json'): EnvName {
  const chosen = options.env ?? io.env.DOWNLINE_ENV;
  if (chosen) {
    if (!['local', 'sandbox', 'production'].includes(chosen)) throw new UserError(`unknown environment "${chosen}": use local, sandbox or production`);
    return chosen as EnvName;
  }
  if (isCi(io.env)) throw new UserError('no environment chosen: pass --env (or set DOWNLINE_ENV). Under CI downline never falls back to the local emulator, so a missing secret cannot turn a deploy into a no-op');
  io.stderr.write(`downline: no --env given; using the local emulator (state in ${localState})\n`);
  return 'local';
}

function remoteEndpoints(env: 'sandbox' | 'production', vars: Io['env']): Endpoints {
  const missing = ['AGENTSYNC_CLIENT_ID', 'AGENTSYNC_CLIENT_SECRET'].filter((v) => !vars[v]);
  if (missing.length) throw new UserError(`--env ${env} needs ${missing.join(' and ')} (OAuth client credentials)`);
  const d = DEFAULTS[env];
  return {
    agentsync: { baseUrl: vars.AGENTSYNC_BASE_URL ?? d.base, tokenUrl: vars.AGENTSYNC_TOKEN_URL ?? d.token, clientId: vars.AGENTSYNC_CLIENT_ID!, clientSecret: vars.AGENTSYNC_CLIENT_SECRET!,
      credentials: `AGENTSYNC_CLIENT_ID and AGENTSYNC_CLIENT_SECRET for --env ${env}` },
    ...(vars.AGENTSYNC_PRODUCERSYNC_URL ? { producersync: { baseUrl: vars.AGENTSYNC_PRODUCERSYNC_URL } } : {}),
    ...(vars.TURRIS_CLIENT_ID && vars.TURRIS_CLIENT_SECRET
      ? { turris: { baseUrl: vars.TURRIS_BASE_URL ?? d.turris, clientId: vars.TURRIS_CLIENT_ID, clientSecret: vars.TURRIS_CLIENT_SECRET, credentials: `TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET for --env ${env}` } }
      : {}),
  };
}

/**
 * Where `--env local` keeps its account: `.downline/local-state.json` at the root of the git
 * repository holding the config (the first PATH; the working directory without one), else beside
 * the config. So `cd config && downline plan .`, `downline plan config/` and an `export` anywhere in
 * the repository all see one local account.
 */
export async function localStateFile(cwd: string, paths: readonly string[] = []): Promise<string> {
  const first = resolve(cwd, paths[0] ?? '.');
  const start = (await stat(first).catch(() => undefined))?.isDirectory() ? first : dirname(first);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return join(dir, '.downline', 'local-state.json');
    if (dirname(dir) === dir) return join(start, '.downline', 'local-state.json');
  }
}

/** Open a session against the chosen environment; for `local`, start the embedded emulator first. */
export async function connect(options: CommonOptions, io: Io, scopes: string[], paths: readonly string[] = [], extra: Pick<ClientOptions, 'observe'> = {}): Promise<Session> {
  const stateFile = await localStateFile(io.cwd, paths);
  const env = chooseEnv(options, io, relative(io.cwd, stateFile) || stateFile);
  const concurrency = options.concurrency;
  const trace = options.debug ? (line: string) => void io.stderr.write(`debug: ${line}\n`) : undefined;
  const retryBaseMs = io.env.DOWNLINE_RETRY_BASE_MS ? Number(io.env.DOWNLINE_RETRY_BASE_MS) : undefined;
  // When the command ends — finished or failed — nothing it started may keep running: one
  // controller per session, aborted on close, reaches every request, retry and wait.
  const controller = new AbortController();
  // Every request, retry and wait listens to it: more than Node's default of 10 at once is expected.
  setMaxListeners(0, controller.signal);
  const cancel = () => controller.abort(new Error('the command stopped'));
  const client = { concurrency, scopes, trace, retryBaseMs, signal: controller.signal, maxWaitMs: secondsVar(io.env, 'DOWNLINE_MAX_WAIT_S'),
    consistencyWindowMs: secondsVar(io.env, 'DOWNLINE_CONSISTENCY_WINDOW_S'),
    notice: (line: string) => void io.stderr.write(`downline: ${line}\n`) };
  if (env !== 'local') {
    const endpoints = remoteEndpoints(env, io.env);
    const api = interruptible(createApi(endpoints, { ...client, ...extra }), io.signal, concurrency);
    return { env, api, urls: { api: endpoints.agentsync.baseUrl, token: endpoints.agentsync.tokenUrl }, cancel, close: async () => cancel() };
  }
  // The emulator's code is loaded only for `--env local`: a sandbox or production run never needs it.
  const { startEmulator } = await import('../emulator/server.js');
  const emulator = await startEmulator({ stateFile, licences: localLicences(stateFile) });
  const c = emulator.credentials;
  const api = interruptible(createApi({
    agentsync: { baseUrl: emulator.baseUrl, tokenUrl: emulator.tokenUrl, clientId: c.clientId, clientSecret: c.clientSecret },
    turris: { baseUrl: emulator.turrisUrl, clientId: c.turrisClientId, clientSecret: c.turrisClientSecret },
    producersync: { baseUrl: emulator.producersyncUrl },
  }, { ...client, ...extra }), io.signal, concurrency);
  return { env, api, urls: { api: emulator.baseUrl, token: emulator.tokenUrl }, emulator, cancel, close: () => (cancel(), emulator.close()) };
}

/**
 * A duration variable in seconds, as ms: DOWNLINE_MAX_WAIT_S (the longest wait for a rate limit and
 * the longest time spent retrying one request), DOWNLINE_CONSISTENCY_WINDOW_S (how long listings
 * may lag writes). Unset: the client's default.
 */
function secondsVar(vars: Io['env'], name: string): number | undefined {
  const raw = vars[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new UserError(`${name} must be a number of seconds, got "${raw}"`);
  return value * 1000;
}

/** `--env local`: a `licenses.json` beside the state file makes producers unlicensed where it says; without one, every NPN is licensed everywhere. */
export function localLicences(stateFile: string): LicenceTable | undefined {
  const file = join(dirname(stateFile), LOCAL_LICENCES_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return readLicenceTable(file);
  } catch (cause) {
    if (cause instanceof LicenceTableError) throw new UserError(cause.message);
    throw cause;
  }
}

export const LOCAL_LICENCES_FILE = 'licenses.json';
