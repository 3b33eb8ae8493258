import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { tempDir } from './run.js';

/** Environment variables that point downline at a test emulator as if it were a real account. */
export function envFor(em: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DOWNLINE_ENV: 'sandbox',
    AGENTSYNC_BASE_URL: em.baseUrl,
    AGENTSYNC_TOKEN_URL: em.tokenUrl,
    AGENTSYNC_CLIENT_ID: em.credentials.clientId,
    AGENTSYNC_CLIENT_SECRET: em.credentials.clientSecret,
    TURRIS_BASE_URL: em.turrisUrl,
    TURRIS_CLIENT_ID: em.credentials.turrisClientId,
    TURRIS_CLIENT_SECRET: em.credentials.turrisClientSecret,
    // As a real account has one: outside --env local the examples' placeholder default is refused.
    AGENTSYNC_ORG_ID: '6f1c1c9e-6b0a-4b7e-9a51-0c2f4a1e9d10',
    ...extra,
  };
}

export const writes = (em: Emulator) => em.log.filter((r) => r.method !== 'GET' && !r.path.endsWith('/oauth2/token') && !r.path.endsWith('/auth/jwt'));

export const count = (em: Emulator, method: string, path: RegExp) => em.log.filter((r) => r.method === method && path.test(r.path)).length;

export { startEmulator, type Emulator, type EmulatorOptions };

/** A tiny client for driving the emulator directly in tests (the quick-start's curl calls). */
export async function token(em: Emulator, scope?: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: em.credentials.clientId, client_secret: em.credentials.clientSecret, ...(scope ? { scope } : {}) });
  const response = await fetch(em.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function call(em: Emulator, bearer: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${em.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * A fresh emulator and temp directory around every test of the file. Read `em` and `dir` inside
 * tests (they are replaced before each one); assign `em` to swap in a differently configured emulator.
 */
export function useSandbox(options: EmulatorOptions = {}): { em: Emulator; dir: { path: string; cleanup: () => Promise<void> } } {
  const sandbox = {} as { em: Emulator; dir: { path: string; cleanup: () => Promise<void> } };
  beforeEach(async () => {
    sandbox.em = await startEmulator(options);
    sandbox.dir = await tempDir();
  });
  afterEach(async () => {
    await sandbox.em.close();
    await sandbox.dir.cleanup();
  });
  return sandbox;
}
