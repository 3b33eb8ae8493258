import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { call, startEmulator, token, type Emulator, type EmulatorOptions } from '../helpers/emulator.js';
import { tempDir } from '../helpers/run.js';

let em: Emulator | undefined;
afterEach(async () => {
  await em?.close();
  em = undefined;
});
const start = async (options: EmulatorOptions = {}) => (em = await startEmulator(options));

async function carrierAndProduct(e: Emulator, bearer: string) {
  const lob = (await call(e, bearer, 'GET', '/v1/linesOfBusiness')).body._embedded.linesOfBusiness[0].id;
  const carrier = (await call(e, bearer, 'POST', '/v1/customers/carriers', { name: 'Acme' })).body;
  const product = (await call(e, bearer, 'POST', `/v1/customers/carriers/${carrier.id}/products`, { name: 'Term', lineOfBusinessId: lob })).body;
  return { carrier, product };
}

describe('emulator auth', () => {
  it('issues tokens for form credentials and HTTP Basic, and refuses wrong ones', async () => {
    const e = await start({ tokenTtl: 120 });
    const basic = Buffer.from(`${e.credentials.clientId}:${e.credentials.clientSecret}`).toString('base64');
    const viaBasic = await fetch(e.tokenUrl, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(viaBasic.status).toBe(200);
    expect(await viaBasic.json()).toMatchObject({ token_type: 'Bearer', expires_in: 120 });
    const wrong = await fetch(e.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=x&client_secret=y' });
    expect(wrong.status).toBe(401);
  });

  it('answers 401 without a token or with an expired one, 403 on writes without the write scope', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const e = await start({ tokenTtl: 60, now: () => new Date(now) });
    expect((await call(e, 'nope', 'GET', '/v1/customers/carriers')).status).toBe(401);
    const readOnly = await token(e, 'rino_api_agency_read');
    expect((await call(e, readOnly, 'GET', '/v1/customers/carriers')).status).toBe(200);
    const denied = await call(e, readOnly, 'POST', '/v1/customers/carriers', { name: 'Acme' });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('access_denied');
    now += 61_000;
    expect((await call(e, readOnly, 'GET', '/v1/customers/carriers')).status).toBe(401);
  });

  it('deletes need the delete scope', async () => {
    const e = await start();
    const { product } = await carrierAndProduct(e, await token(e));
    const writer = await token(e, 'rino_api_agency_read rino_api_agency_write');
    expect((await call(e, writer, 'DELETE', `/v1/customers/products/${product.id}`)).status).toBe(403);
    expect((await call(e, await token(e), 'DELETE', `/v1/customers/products/${product.id}`)).status).toBe(204);
  });
});

describe('emulator validation and errors', () => {
  it('answers 400 with messages for every documented constraint', async () => {
    const e = await start();
    const t = await token(e);
    const { product } = await carrierAndProduct(e, t);
    const carrier = await call(e, t, 'POST', '/v1/customers/carriers', { name: 'B', naic: '1234567', tin: '1234567890' });
    expect(carrier.status).toBe(400);
    expect(carrier.body).toMatchObject({ status: 400, error: 'Bad Request', path: '/contracting/v1/customers/carriers' });
    expect(carrier.body.messages).toEqual(['naic must have a max of 6 characters.', 'tin must have a max of 9 characters.']);
    const level = await call(e, t, 'POST', `/v1/customers/${product.id}/commissionLevels`, { name: 'L', type: 'PERCENT', firstYearValue: 100000, level: 100000 });
    expect(level.body.messages).toEqual(['type must be one of "Percent", "Dollar", "Number".', 'firstYearValue must be less than or equal to 99999.99.', 'level must be less than or equal to 99999.99.']);
    const npn = await call(e, t, 'POST', '/v1/customers/contractAssignments', { npn: '1234567890123456', productId: product.id });
    expect(npn.status).toBe(400);
    expect(npn.body.messages).toEqual(['commissionLevelId must not be blank.', 'npn must have a max of 15 characters.']);
    const required = await call(e, t, 'POST', '/v1/customers/carriers', {});
    expect(required.body.messages).toEqual(['name must not be blank.']);
  });

  it('bulk endpoints insist on their body shapes: POST an array, PUT an object', async () => {
    const e = await start();
    const t = await token(e);
    const { product } = await carrierAndProduct(e, t);
    expect((await call(e, t, 'POST', `/v1/customers/${product.id}/commissionLevels/bulk`, { name: 'L', type: 'Percent' })).status).toBe(400);
    const [level] = (await call(e, t, 'POST', `/v1/customers/${product.id}/commissionLevels/bulk`, [{ name: 'L', type: 'Percent', firstYearValue: 1 }])).body;
    expect((await call(e, t, 'PUT', '/v1/customers/commissionLevels/bulk', [{ id: level.id, firstYearValue: 2 }])).status).toBe(400);
    const ok = await call(e, t, 'PUT', '/v1/customers/commissionLevels/bulk', { commissionLevels: [{ id: level.id, firstYearValue: 2 }] });
    expect(ok.status).toBe(200);
    expect((await call(e, t, 'GET', `/v1/customers/commissionLevels/${level.id}`)).body.firstYearValue).toBe(2);
  });

  it('404 with the documented body for unknown ids; 500 for a write without a JSON content type', async () => {
    const e = await start();
    const t = await token(e);
    const missing = await call(e, t, 'GET', '/v1/customers/carriers/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, error: 'Not Found', messages: ['Carrier not found.'] });
    const quirk = await fetch(`${e.baseUrl}/v1/customers/carriers`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: '{"name":"X"}' });
    expect(quirk.status).toBe(500);
    expect((await call(e, t, 'GET', '/v1/customers/carriers')).body._embedded).toBeUndefined();
  });

  it('refuses deletes of objects still in use, with the reason', async () => {
    const e = await start();
    const t = await token(e);
    const { product } = await carrierAndProduct(e, t);
    const level = (await call(e, t, 'POST', `/v1/customers/${product.id}/commissionLevels`, { name: 'L', type: 'Percent' })).body;
    const a = (await call(e, t, 'POST', '/v1/customers/contractAssignments', { npn: '1', productId: product.id, commissionLevelId: level.id })).body;
    expect((await call(e, t, 'DELETE', `/v1/customers/commissionLevels/${level.id}`)).body.messages[0]).toContain('used by 1 contract assignment');
    expect((await call(e, t, 'DELETE', `/v1/customers/products/${product.id}`)).status).toBe(409);
    expect((await call(e, t, 'DELETE', `/v1/customers/contractAssignments/${a.id}`)).status).toBe(204);
    expect((await call(e, t, 'DELETE', `/v1/customers/commissionLevels/${level.id}`)).status).toBe(204);
    expect((await call(e, t, 'DELETE', `/v1/customers/products/${product.id}`)).status).toBe(204);
  });
});

describe('emulator paging, limits and faults', () => {
  it('pages with size 1, links and all, and clamps to the maximum page size', async () => {
    const e = await start({ pageSize: 1, maxPageSize: 2 });
    const t = await token(e);
    for (const name of ['A', 'B', 'C']) await call(e, t, 'POST', '/v1/customers/carriers', { name });
    const first = await call(e, t, 'GET', '/v1/customers/carriers');
    expect(first.body.page).toEqual({ size: 1, totalElements: 3, totalPages: 3, number: 0 });
    expect(first.body._links.next.href).toBe('/v1/customers/carriers?page=1&size=1');
    const last = await call(e, t, 'GET', '/v1/customers/carriers?page=2');
    expect(last.body._embedded.carriers[0].name).toBe('C');
    expect(last.body._links.next).toBeUndefined();
    expect((await call(e, t, 'GET', '/v1/customers/carriers?page=3')).body._embedded).toBeUndefined();
    expect((await call(e, t, 'GET', '/v1/customers/carriers?size=50')).body.page.size).toBe(2);
  });

  it('rate limits with 429, Retry-After and ratelimit headers', async () => {
    const e = await start({ rateLimit: 2 });
    const t = await token(e);
    const a = await call(e, t, 'GET', '/v1/customers/carriers');
    expect(a.headers.get('ratelimit-limit')).toBe('2');
    expect(a.headers.get('ratelimit-remaining')).toBe('1');
    await call(e, t, 'GET', '/v1/customers/carriers');
    const limited = await call(e, t, 'GET', '/v1/customers/carriers');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('fails randomly at --fail-rate, logs every request, and adds latency', async () => {
    const e = await start({ failRate: 1, latency: 30 });
    const t = await token(e);
    const started = Date.now();
    const r = await call(e, t, 'GET', '/v1/customers/carriers');
    expect(r.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(e.log.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual(['POST /oauth2/token 200', 'GET /contracting/v1/customers/carriers 503']);
  });
});

describe('emulator state', () => {
  it('persists atomically between runs and names a corrupt state file', async () => {
    const dir = await tempDir();
    const file = join(dir.path, 'state.json');
    const first = await startEmulator({ stateFile: file });
    await call(first, await token(first), 'POST', '/v1/customers/carriers', { name: 'Kept' });
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).carriers[0].name).toBe('Kept');
    const second = await start({ stateFile: file });
    expect((await call(second, await token(second), 'GET', '/v1/customers/carriers')).body._embedded.carriers[0].name).toBe('Kept');
    await second.close();
    em = undefined;
    writeFileSync(file, '{"formatVersion":1,"carr');
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(`emulator state file ${file} is not valid JSON`);
    await dir.cleanup();
  });
});

describe('downline emulator (the command)', () => {
  it('serves in the foreground, prints its URL and credentials, and stops on interrupt', async () => {
    let stdout = '';
    let stop!: () => void;
    const interrupted = new Promise<void>((resolve) => (stop = resolve));
    const done = main(['emulator', '--port', '0'], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, cwd: process.cwd(), isTTY: false, interrupted });
    while (!stdout.includes('Ctrl-C')) await new Promise((r) => setTimeout(r, 10));
    const base = /AGENTSYNC_BASE_URL=(\S+)/.exec(stdout)![1];
    const tokenUrl = /AGENTSYNC_TOKEN_URL=(\S+)/.exec(stdout)![1];
    const tokenResponse = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=downline-local&client_secret=local-secret' });
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const carriers = await fetch(`${base}/v1/customers/carriers`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(carriers.status).toBe(200);
    stop();
    expect(await done).toBe(0);
    expect(stdout).toContain('emulator stopped');
  });
});
