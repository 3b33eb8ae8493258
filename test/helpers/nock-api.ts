import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './run.js';

/** Hosts nock stands in for: never resolvable, so a request nock does not expect fails loudly. */
export const BASE = 'https://api.test.invalid';
export const AUTH = 'https://auth.test.invalid';
export const NOCK_ENV = { DOWNLINE_ENV: 'sandbox', AGENTSYNC_BASE_URL: `${BASE}/contracting`, AGENTSYNC_TOKEN_URL: `${AUTH}/oauth2/token`, AGENTSYNC_CLIENT_ID: 'id', AGENTSYNC_CLIENT_SECRET: 's3cret-value' };

/**
 * A scratch folder with a one-carrier config and nock guarding the network, set up before each test
 * of the calling suite and torn down after it. Read `.path` inside a test.
 */
export function useNockConfig(): { readonly path: string } {
  let dir: { path: string; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    nock.disableNetConnect();
    dir = await tempDir();
    await writeFile(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n');
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await dir?.cleanup();
  });
  return { get path() { return dir!.path; } };
}
