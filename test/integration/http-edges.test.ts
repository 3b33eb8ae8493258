import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/api/client.js';
import { AUTH, BASE, NOCK_ENV, useNockConfig } from '../helpers/nock-api.js';
import { run } from '../helpers/run.js';

const env = NOCK_ENV;
const empty = { _links: { self: { href: '/x' } }, page: { size: 1000, totalElements: 0, totalPages: 0, number: 0 } };
const lookups = (scope: nock.Scope) => {
  for (const key of ['linesOfBusiness', 'contractSubmissionMethods', 'annualizations', 'assignmentStatuses']) {
    scope.get(`/contracting/v1/${key}`).query(true).reply(200, { _embedded: { [key]: [{ id: `${key}-1`, name: key === 'linesOfBusiness' ? 'Life' : 'X' }] }, page: { size: 1000, totalElements: 1, totalPages: 1, number: 0 } });
  }
};

const dir = useNockConfig();

describe('HTTP edge cases (nock)', () => {
  it('waits out 429s (Retry-After) and retries 5xx reads with backoff, then plans', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).reply(429, { messages: ['slow down'] }, { 'Retry-After': '0' })
      .get('/contracting/v1/customers/carriers').query(true).reply(503, { messages: ['busy'] })
      .get('/contracting/v1/customers/carriers').query(true).reply(502, 'bad gateway')
      .get('/contracting/v1/customers/carriers').query(true).reply(200, empty);
    const result = await run(['plan', '--detailed-exitcode'], { cwd: dir.path, env });
    // Each retry is one line on stderr as it happens, nothing else.
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^downline: GET \/v1\/customers\/carriers → 429; the API asks to wait [\d.]+ s \(until \d\d:\d\d:\d\d UTC\) — attempt 2 of 6$/),
      expect.stringMatching(/→ 503; retrying in [\d.]+ s — attempt 3 of 6$/),
      expect.stringMatching(/→ 502; retrying in [\d.]+ s — attempt 4 of 6$/),
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('+ carrier "Acme"');
    expect(api.isDone()).toBe(true);
  });

  it('refreshes the token once on a 401 and carries on', async () => {
    const auth = nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'old', expires_in: 3600 }).post('/oauth2/token').reply(200, { access_token: 'new', expires_in: 3600 });
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).matchHeader('authorization', 'Bearer old').reply(401, { error: 'unauthorized' })
      .get('/contracting/v1/customers/carriers').query(true).matchHeader('authorization', 'Bearer new').reply(200, empty);
    const result = await run(['plan'], { cwd: dir.path, env });
    expect(result.code).toBe(0);
    expect(auth.isDone()).toBe(true);
  });

  it('a second 401 is an error naming the request, without secrets', async () => {
    nock(AUTH).post('/oauth2/token').times(2).reply(200, { access_token: 'tok-abc123xyz', expires_in: 3600 });
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).times(2).reply(401, { error: 'unauthorized', error_description: 'Invalid or expired access token' });
    const result = await run(['plan'], { cwd: dir.path, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /v1/customers/carriers → 401: Invalid or expired access token');
    expect(result.stderr).not.toContain('s3cret-value');
    expect(result.stderr).not.toContain('tok-abc123xyz');
  });

  it('gives up after the retry limit with the API error', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok', expires_in: 3600 });
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).times(6).reply(500, { status: 500, messages: ['Database unavailable'] });
    const result = await run(['plan'], { cwd: dir.path, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /v1/customers/carriers → 500: Database unavailable');
  });

  it('never blindly retries a POST that failed ambiguously, but does retry a 429 on it', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok', expires_in: 3600 });
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 2, scopes: [], retryBaseMs: 1 });
    nock(BASE).post('/contracting/v1/customers/carriers').reply(503, { messages: ['maybe'] });
    await expect(client.send({ api: 'agentsync', method: 'POST', path: '/v1/customers/carriers', body: { name: 'A' } })).rejects.toMatchObject({ status: 503 });
    nock(BASE).post('/contracting/v1/customers/carriers').reply(429, {}, { 'Retry-After': '0' }).post('/contracting/v1/customers/carriers').reply(201, { id: 'c1' });
    await expect(client.send({ api: 'agentsync', method: 'POST', path: '/v1/customers/carriers', body: { name: 'A' } })).resolves.toEqual({ id: 'c1' });
  });

  it('without Retry-After, a 429 waits for the rate-limit reset header', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok', expires_in: 3600 });
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 1, scopes: [], retryBaseMs: 1 });
    nock(BASE).get('/contracting/v1/x').reply(429, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2) })
      .get('/contracting/v1/x').reply(200, { ok: true });
    const started = Date.now();
    expect(await client.agentsync.get('/v1/x')).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('paces requests by the ratelimit headers instead of hitting 429', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok', expires_in: 3600 });
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 1, scopes: [], retryBaseMs: 1 });
    nock(BASE).get('/contracting/v1/x').reply(200, {}, { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }).get('/contracting/v1/x').reply(200, { second: true });
    await client.agentsync.get('/v1/x');
    const started = Date.now();
    expect(await client.agentsync.get('/v1/x')).toEqual({ second: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(client.agentsync.stats.rateLimitWaitMs()).toBeGreaterThan(0);
  });

  it('after the first page, fetches the other pages of a listing concurrently, bounded by --concurrency', async () => {
    nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok', expires_in: 3600 });
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 3, scopes: [], retryBaseMs: 1 });
    let active = 0;
    let most = 0;
    const asked: string[] = [];
    nock(BASE).get('/contracting/v1/things').query(true).times(8).reply(async (uri) => {
      const query = new URL(uri, BASE).searchParams;
      asked.push(`${query.get('page')}/${query.get('size')}`);
      active += 1;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 30));
      active -= 1;
      const n = Number(query.get('page'));
      // The server clamps the page size to 2, whatever was asked.
      return [200, { _embedded: { things: [{ id: `t${2 * n}` }, { id: `t${2 * n + 1}` }] }, page: { size: 2, totalElements: 16, totalPages: 8, number: n } }];
    });
    const items = await client.agentsync.list('/v1/things', 'things');
    expect(items.map((t) => t.id)).toEqual(Array.from({ length: 16 }, (_, i) => `t${i}`));
    expect(asked[0]).toBe('0/1000');
    expect(asked.slice(1).sort()).toEqual(['1/2', '2/2', '3/2', '4/2', '5/2', '6/2', '7/2']);
    expect(most).toBe(3);
  });

  it('shares one token fetch between concurrent requests and reuses it', async () => {
    const auth = nock(AUTH).post('/oauth2/token').once().reply(200, { access_token: 'tok', expires_in: 3600 });
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 4, scopes: [], retryBaseMs: 1 });
    nock(BASE).get('/contracting/v1/x').times(8).reply(200, {});
    await Promise.all(Array.from({ length: 8 }, () => client.agentsync.get('/v1/x')));
    expect(auth.isDone()).toBe(true);
    expect(client.tokenFetches()).toBe(1);
  });
});
