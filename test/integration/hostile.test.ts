/**
 * The API misbehaving: every answer that crosses the boundary is checked, never assumed. Each case
 * here reproduces one way a real or faulty server could make downline duplicate objects, lose a
 * tail, leak a credential or hang — against the emulator's fault knobs, or nock for what the
 * emulator never does.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/api/client.js';
import { count, envFor, startEmulator, useSandbox, writes } from '../helpers/emulator.js';
import { AUTH, BASE, NOCK_ENV, useNockConfig } from '../helpers/nock-api.js';
import { example, run, tempDir } from '../helpers/run.js';

const quickstart = example('quickstart');

describe('hostile API answers (emulator)', () => {
  const sandbox = useSandbox();
  const downline = (args: string[], env: Record<string, string> = {}) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em, env) });

  it('a list answered 200 with a non-HAL, empty or HTML body is an error naming the call, and nothing is written', async () => {
    expect((await downline(['apply', '--auto-approve', quickstart])).code).toBe(0);
    const before = writes(sandbox.em).length;
    for (const [answer, why] of [[{ error: 'upstream timeout' }, 'the answer is not a HAL page of "carriers": no page metadata'], ['', 'the answer is not a JSON document (empty body)'], ['<html>502 Bad Gateway</html>', 'the answer is not JSON (content-type text/html)']] as const) {
      sandbox.em.faults.push({ method: 'GET', path: /\/customers\/carriers$/, status: 200, times: 1, rewrite: () => answer });
      const result = await downline(['apply', '--auto-approve', quickstart]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`GET /v1/customers/carriers → 200: ${why}`);
    }
    expect(writes(sandbox.em)).toHaveLength(before);
  });

  it('a bulk create answered in another order binds each level by name, not position', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/commissionLevels\/bulk$/, status: 201, times: 1, rewrite: (body) => [...(body as unknown[])].reverse() });
    expect((await downline(['apply', '--auto-approve', quickstart])).code).toBe(0);
    const level1 = sandbox.em.store.data.levels.find((l) => l.name === 'Level 1 — 55%')!;
    expect(sandbox.em.store.data.assignments.map((a) => a.commissionLevelId)).toEqual([level1.id, level1.id]);
    expect((await downline(['plan', '--detailed-exitcode', quickstart])).code).toBe(0);
  });

  it('a bulk create answered with fewer items: the missing one is found by key, or is a failure if it does not exist', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/commissionLevels\/bulk$/, status: 201, times: 1, rewrite: (body) => (body as unknown[]).slice(1) });
    const found = await downline(['apply', '--auto-approve', quickstart, '--report', 'report.json']);
    expect(found.code).toBe(0);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    expect(report.results.find((r: { address: string }) => r.address.endsWith('Level 1 — 55%'))).toMatchObject({ outcome: 'succeeded', recovered: 'missing from the bulk answer; found by key' });
    expect(sandbox.em.store.data.levels).toHaveLength(3);

    // Now a server that answers for two of three and did not create the third.
    const em2 = await startEmulator();
    try {
      em2.faults.push({ method: 'POST', path: /\/commissionLevels\/bulk$/, status: 201, times: 1, rewrite: (body) => {
        const [kept, lost] = [(body as Array<{ id: string }>).slice(0, 2), (body as Array<{ id: string }>)[2]];
        em2.store.removeLevel(lost.id);
        return kept;
      } });
      const result = await run(['apply', '--auto-approve', quickstart, '--report', 'report2.json'], { cwd: sandbox.dir.path, env: envFor(em2) });
      expect(result.code).toBe(1);
      const failed = JSON.parse(readFileSync(join(sandbox.dir.path, 'report2.json'), 'utf8')).results.find((r: { address: string }) => r.address.endsWith('Level 3 — 65%'));
      expect(failed).toMatchObject({ outcome: 'failed', error: 'the bulk create answered without this item and a lookup by key does not find it: it was not created' });
    } finally {
      await em2.close();
    }
  });

  it('a read cut off mid-body is retried like any transient failure', async () => {
    sandbox.em.faults.push({ method: 'GET', path: /\/customers\/carriers$/, status: 200, times: 1, mode: 'truncate' });
    const result = await downline(['plan', '--detailed-exitcode', quickstart]);
    expect(result.code).toBe(2);
    expect(count(sandbox.em, 'GET', /\/customers\/carriers$/)).toBe(2);
    expect(result.stderr).toMatch(/GET \/v1\/customers\/carriers → \w+; retrying in/);
  });

  it('after an ambiguous create, the lookup waits out the consistency window: a lagging listing causes no duplicate', async () => {
    await sandbox.em.close();
    sandbox.em = await startEmulator({ listLagMs: 1500 });
    sandbox.em.faults.push({ method: 'POST', path: /\/carriers\/[^/]+\/products$/, status: 502, times: 1, afterCommit: true });
    const result = await downline(['apply', '--auto-approve', quickstart], { DOWNLINE_CONSISTENCY_WINDOW_S: '5' });
    expect(result.code).toBe(0);
    expect(sandbox.em.store.data.products).toHaveLength(1);
    expect(result.stderr).toContain('listings may lag writes, looking again for up to 5 s');
  });

  it('Turris discovery pages through the associations and matches the invite key itself', async () => {
    // A server that ignores the email filter and pages: the first page holds someone else.
    const others = Array.from({ length: 3 }, (_, i) => ({ _id: `other${i}`, downstreamEntity: { legalName: `Other ${i}` }, email: `other${i}@elsewhere.example`, producerCode: `OTHER-${i}` }));
    const ana = { _id: 'ana', downstreamEntity: { legalName: 'Gulf Coast' }, email: 'ana@gulfcoast-agency.example' };
    const lsb = { _id: 'lsb', downstreamEntity: { legalName: 'Lone Star' }, producerCode: 'LSB-001' };
    const pages = [[...others], [ana, lsb]];
    let seen = 0;
    sandbox.em.faults.push({ method: 'GET', path: /\/downstream-entity-associations$/, status: 200, times: 100, rewrite: (_body, request) => {
      const page = Number(request.query.get('page') ?? '1');
      seen += 1;
      return { data: pages[page - 1], meta: { page, totalPages: 2, total: 5 }, requestId: 'r', timestamp: 't' };
    } });
    const result = await downline(['plan', '--format', 'json', example('agency')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    const turris = plan.changes.filter((c: { address: { kind: string } }) => c.address.kind === 'turrisInvite');
    expect(turris.map((c: { action: string; liveId: string }) => `${c.action} ${c.liveId}`)).toEqual(['noop lsb', 'noop ana']);
    expect(seen).toBe(4);
  });
});

describe('missing Turris credentials', () => {
  const sandbox = useSandbox();
  it('are reported before any request when the config has Turris invitations', async () => {
    const env = envFor(sandbox.em, { TURRIS_CLIENT_ID: '', TURRIS_CLIENT_SECRET: '' });
    const result = await run(['plan', example('agency')], { cwd: sandbox.dir.path, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: the config has 2 Turris invitation(s), but TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET are not set: set both (and TURRIS_BASE_URL outside production), or remove the turris section\n');
    expect(sandbox.em.log).toEqual([]);
  });
});

const EVIL = 'https://evil.test.invalid';
const env = NOCK_ENV;
const page = (key: string, items: unknown[], number: number, totalPages: number, totalElements: number, size = 1, next = number + 1 < totalPages) => ({
  ...(items.length ? { _embedded: { [key]: items } } : {}),
  _links: { self: { href: `/v1/x?page=${number}` }, ...(next ? { next: { href: `/v1/x?page=${number + 1}&size=${size}` } } : {}) },
  page: { size, totalElements, totalPages, number },
});
const lookups = (scope: nock.Scope) => {
  for (const key of ['linesOfBusiness', 'contractSubmissionMethods', 'annualizations', 'assignmentStatuses']) {
    scope.get(`/contracting/v1/${key}`).query(true).reply(200, page(key, [{ id: `${key}-1`, name: key === 'linesOfBusiness' ? 'Life' : 'X' }], 0, 1, 1, 1000));
  }
};
const carriersPage = (n: number) => (scope: nock.Scope, body: unknown) => scope.get('/contracting/v1/customers/carriers').query((q) => q.page === String(n)).reply(200, body as nock.Body);

describe('hostile API answers (nock)', () => {
  const dir = useNockConfig();
  const plan = (extra: Record<string, string> = {}) => run(['plan'], { cwd: dir.path, env: { ...env, ...extra } });
  const token = () => nock(AUTH).post('/oauth2/token').reply(200, { access_token: 'tok-secret-123', expires_in: 3600 });
  const carrier = (i: number) => ({ id: `c${i}`, name: `Other ${i}` });

  it.each([
    ['a server that ignores ?page=', [page('carriers', [carrier(0)], 0, 2, 2), page('carriers', [carrier(0)], 0, 2, 2)], 'asked for page 1, got page 0 (the server ignores ?page=)'],
    ['a later page without page metadata', [page('carriers', [carrier(0)], 0, 2, 2), { _embedded: { carriers: [carrier(1)] } }], 'no page metadata'],
    ['totalPages dropping mid-listing', [page('carriers', [carrier(0)], 0, 3, 3), page('carriers', [carrier(1)], 1, 2, 2), page('carriers', [carrier(2)], 2, 3, 3)], 'page 1 reports 2 items in 2 pages, page 0 reported 3 in 3 (the listing changed while it was read)'],
    ['fewer items than totalElements', [page('carriers', [carrier(0), carrier(1)], 0, 2, 4, 2), page('carriers', [carrier(2)], 1, 2, 4, 2)], '3 items read in 2 pages, the API reported 4'],
    ['totals that disagree with each other', [page('carriers', [carrier(0)], 0, 1_000_000_000, 1)], 'page metadata disagree: 1 items in pages of 1 is not 1000000000 pages'],
    ['a next link that does not advance', [{ ...page('carriers', [carrier(0)], 0, 2, 2), _links: { next: { href: '/v1/customers/carriers?page=0&size=1' } } }, page('carriers', [carrier(1)], 1, 2, 2)], 'page 0 of 2 links page 0 as next'],
  ])('pagination fails, never guesses: %s', async (_name, pages, message) => {
    token();
    const api = nock(BASE);
    lookups(api);
    pages.forEach((body, n) => carriersPage(n)(api, body));
    const result = await plan();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /v1/customers/carriers → 200:');
    expect(result.stderr).toContain(message);
  });

  it('never follows a redirect to another origin: no bearer token leaves the API host', async () => {
    token();
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).reply(302, '', { location: `${EVIL}/steal` });
    const evil = nock(EVIL).get('/steal').reply(200, page('carriers', [], 0, 0, 0));
    const result = await plan();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`GET /v1/customers/carriers → 302: refused to follow a redirect to another origin (${EVIL})`);
    expect(evil.isDone()).toBe(false);
  });

  it('never follows a token endpoint redirect to another origin: the secret stays home', async () => {
    nock(AUTH).post('/oauth2/token').reply(307, '', { location: `${EVIL}/oauth2/token` });
    const evil = nock(EVIL).post('/oauth2/token').reply(200, { access_token: 'x', expires_in: 3600 });
    const result = await plan();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`POST /oauth2/token → 307: refused to follow a redirect to another origin (${EVIL})`);
    expect(evil.isDone()).toBe(false);
  });

  it('a Retry-After beyond the cap fails at once with the API answer; one within it is announced with its end', async () => {
    token();
    const api = nock(BASE);
    lookups(api);
    api.get('/contracting/v1/customers/carriers').query(true).reply(429, { messages: ['Rate limit exceeded.'] }, { 'Retry-After': '3600' });
    const started = Date.now();
    const result = await plan();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /v1/customers/carriers → 429: Rate limit exceeded.; the API asks to wait 3600 s, more than the 120 s downline waits (DOWNLINE_MAX_WAIT_S)');

    token();
    const again = nock(BASE);
    lookups(again);
    again.get('/contracting/v1/customers/carriers').query(true).reply(429, { messages: ['Rate limit exceeded.'] }, { 'Retry-After': '1' })
      .get('/contracting/v1/customers/carriers').query(true).reply(200, page('carriers', [], 0, 0, 0));
    const waited = await plan({ DOWNLINE_MAX_WAIT_S: '30' });
    expect(waited.code).toBe(0);
    expect(waited.stderr).toMatch(/^downline: GET \/v1\/customers\/carriers → 429; the API asks to wait 1(\.\d)? s \(until \d\d:\d\d:\d\d UTC\) — attempt 2 of 6$/m);
  }, 15_000);

  it('a rate-limit reset an hour away is not slept on: the API answers, and the answer beyond the cap is the error', async () => {
    token();
    const api = nock(BASE);
    for (const key of ['linesOfBusiness', 'contractSubmissionMethods', 'annualizations', 'assignmentStatuses']) {
      api.get(`/contracting/v1/${key}`).query(true).reply(200, page(key, [{ id: `${key}-1`, name: 'Life' }], 0, 1, 1, 1000), { 'ratelimit-remaining': '0', 'ratelimit-reset': '3600' });
    }
    api.get('/contracting/v1/customers/carriers').query(true).reply(429, { messages: ['Rate limit exceeded.'] }, { 'Retry-After': '3600', 'ratelimit-remaining': '0', 'ratelimit-reset': '3600' });
    const started = Date.now();
    const result = await run(['plan', '--concurrency', '1'], { cwd: dir.path, env });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('→ 429: Rate limit exceeded.; the API asks to wait 3600 s');
  }, 15_000);

  it('a wait for the rate-limit reset is announced once on stderr, with its end', async () => {
    token();
    const lines: string[] = [];
    const client = createApi({ agentsync: { baseUrl: `${BASE}/contracting`, tokenUrl: `${AUTH}/oauth2/token`, clientId: 'id', clientSecret: 's' } }, { concurrency: 2, scopes: [], retryBaseMs: 1, notice: (line) => lines.push(line) });
    nock(BASE).get('/contracting/v1/x').reply(200, {}, { 'ratelimit-remaining': '0', 'ratelimit-reset': '2' }).get('/contracting/v1/x').times(2).reply(200, {});
    await client.agentsync.get('/v1/x');
    await Promise.all([client.agentsync.get('/v1/x'), client.agentsync.get('/v1/x')]);
    expect(lines).toEqual([expect.stringMatching(/^rate limit reached: waiting [12](\.\d)? s \(until \d\d:\d\d:\d\d UTC\) before sending more$/)]);
  });

  it('an unreachable token endpoint is fetched by one request with one retry budget, not once per request', async () => {
    let fetches = 0;
    nock(AUTH).post('/oauth2/token').times(50).reply(() => {
      fetches += 1;
      return [503, { error: 'temporarily_unavailable' }];
    });
    const result = await plan();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: POST /oauth2/token → 503: temporarily_unavailable');
    // One fetch and its 3 retries — also after the command returned: nothing queued starts another.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fetches).toBe(4);
    expect(result.stderr.match(/^downline: POST \/oauth2\/token → 503; retrying in/gm)).toHaveLength(3);
  });

  it('when the command fails, requests still retrying are cancelled: nothing is sent after it returns', async () => {
    token();
    const api = nock(BASE);
    let lookupsSent = 0;
    api.get(/\/contracting\/v1\/(linesOfBusiness|contractSubmissionMethods|annualizations|assignmentStatuses)/).query(true).times(100).delay(20).reply(() => {
      lookupsSent += 1;
      return [503, { messages: ['busy'] }];
    });
    api.get('/contracting/v1/customers/carriers').query(true).delay(50).reply(400, { messages: ['bad request'] });
    const result = await plan({ DOWNLINE_RETRY_BASE_MS: '150' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /v1/customers/carriers → 400: bad request');
    const atExit = lookupsSent;
    await new Promise((r) => setTimeout(r, 1000));
    expect(lookupsSent).toBe(atExit);
  });

  it('an unknown host fails at once, naming the host and the cause', async () => {
    nock(AUTH).post('/oauth2/token').replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND auth.test.invalid'), { code: 'ENOTFOUND' }));
    const started = Date.now();
    const result = await plan();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('POST /oauth2/token → ENOTFOUND: cannot resolve host auth.test.invalid (DNS ENOTFOUND)');
  });
});

describe('unreachable API (a closed port)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
    await writeFile(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n');
  });
  afterEach(() => dir.cleanup());

  it('connection refused fails within seconds, naming the host, with each retry logged', async () => {
    const started = Date.now();
    const result = await run(['plan'], { cwd: dir.path, env: { ...env, AGENTSYNC_BASE_URL: 'http://127.0.0.1:9/contracting', AGENTSYNC_TOKEN_URL: 'http://127.0.0.1:9/oauth2/token', DOWNLINE_RETRY_BASE_MS: '100' } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('POST /oauth2/token → ECONNREFUSED: connection refused by 127.0.0.1:9');
    // Two quick retries of the token request, and nothing else: the requests waiting for the token fail with it.
    expect(result.stderr.match(/^downline: .*/gm)).toEqual([
      expect.stringMatching(/^downline: POST \/oauth2\/token → ECONNREFUSED; retrying in/),
      expect.stringMatching(/^downline: POST \/oauth2\/token → ECONNREFUSED; retrying in/),
    ]);
  });
});
