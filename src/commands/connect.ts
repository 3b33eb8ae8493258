import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createApi, type Api, type ClientOptions, type Endpoints } from '../api/client.js';
import { LicenceTableError, readLicenceTable, type LicenceTable } from '../emulator/licences.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { UserError, type CommonOptions, type Io } from './io.js';

export type EnvName = 'local' | 'sandbox' | 'production';

export const SCOPE = { read: 'rino_api_agency_read', write: 'rino_api_agency_write', delete: 'rino_api_agency_delete' } as const;

export interface Session {
  env: EnvName;
  api: Api;
  /** Where the session talks to (no credentials): for reports. */
  urls: { api: string; token: string };
  emulator?: Emulator;
  close(): Promise<void>;
}

const DEFAULTS = {
  sandbox: { base: 'https://api.sandbox.agentsync.io/contracting', token: 'https://auth.sandbox.agentsync.io/oauth2/token', turris: 'https://public.api.sandbox.turrisfi.com' },
  production: { base: 'https://api.agentsync.io/contracting', token: 'https://auth.agentsync.io/oauth2/token', turris: 'https://public.api.live.turrisfi.com' },
};

/** --env, else DOWNLINE_ENV, else local with a notice — except under CI, where guessing is refused. */
export function chooseEnv(options: CommonOptions, io: Io): EnvName {
  const chosen = options.env ?? io.env.DOWNLINE_ENV;
  if (chosen) {
    if (!['local', 'sandbox', 'production'].includes(chosen)) throw new UserError(`unknown environment "${chosen}": use local, sandbox or production`);
    return chosen as EnvName;
  }
  if (io.env.CI) throw new UserError('no environment chosen: pass --env (or set DOWNLINE_ENV). Under CI downline never falls back to the local emulator, so a missing secret cannot turn a deploy into a no-op');
  io.stderr.write('downline: no --env given; using the local emulator (state in .downline/local-state.json)\n');
  return 'local';
}

function remoteEndpoints(env: 'sandbox' | 'production', vars: Io['env']): Endpoints {
  const missing = ['AGENTSYNC_CLIENT_ID', 'AGENTSYNC_CLIENT_SECRET'].filter((v) => !vars[v]);
  if (missing.length) throw new UserError(`--env ${env} needs ${missing.join(' and ')} (OAuth client credentials)`);
  const d = DEFAULTS[env];
  return {
    agentsync: { baseUrl: vars.AGENTSYNC_BASE_URL ?? d.base, tokenUrl: vars.AGENTSYNC_TOKEN_URL ?? d.token, clientId: vars.AGENTSYNC_CLIENT_ID!, clientSecret: vars.AGENTSYNC_CLIENT_SECRET! },
    ...(vars.AGENTSYNC_PRODUCERSYNC_URL ? { producersync: { baseUrl: vars.AGENTSYNC_PRODUCERSYNC_URL } } : {}),
    ...(vars.TURRIS_CLIENT_ID && vars.TURRIS_CLIENT_SECRET
      ? { turris: { baseUrl: vars.TURRIS_BASE_URL ?? d.turris, clientId: vars.TURRIS_CLIENT_ID, clientSecret: vars.TURRIS_CLIENT_SECRET } }
      : {}),
  };
}

/** Open a session against the chosen environment; for `local`, start the embedded emulator first. */
export async function connect(options: CommonOptions, io: Io, scopes: string[], extra: Pick<ClientOptions, 'observe'> = {}): Promise<Session> {
  const env = chooseEnv(options, io);
  const concurrency = Math.max(1, Number.parseInt(options.concurrency, 10) || 4);
  const trace = options.debug ? (line: string) => void io.stderr.write(`debug: ${line}\n`) : undefined;
  const retryBaseMs = io.env.DOWNLINE_RETRY_BASE_MS ? Number(io.env.DOWNLINE_RETRY_BASE_MS) : undefined;
  if (env !== 'local') {
    const endpoints = remoteEndpoints(env, io.env);
    const api = createApi(endpoints, { concurrency, scopes, trace, retryBaseMs, ...extra });
    return { env, api, urls: { api: endpoints.agentsync.baseUrl, token: endpoints.agentsync.tokenUrl }, close: async () => {} };
  }
  const stateFile = join(io.cwd, '.downline', 'local-state.json');
  const emulator = await startEmulator({ stateFile, licences: localLicences(stateFile) });
  const c = emulator.credentials;
  const api = createApi({
    agentsync: { baseUrl: emulator.baseUrl, tokenUrl: emulator.tokenUrl, clientId: c.clientId, clientSecret: c.clientSecret },
    turris: { baseUrl: emulator.turrisUrl, clientId: c.turrisClientId, clientSecret: c.turrisClientSecret },
    producersync: { baseUrl: emulator.producersyncUrl },
  }, { concurrency, scopes, trace, retryBaseMs, ...extra });
  return { env, api, urls: { api: emulator.baseUrl, token: emulator.tokenUrl }, emulator, close: () => emulator.close() };
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
