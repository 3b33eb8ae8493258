import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { envFor, startEmulator, writes, type Emulator } from '../helpers/emulator.js';
import { example, run, tempDir } from '../helpers/run.js';

interface Report {
  checks: Array<{ id: string; status: string; seen: string; constant: string; assumption: string }>;
  writes: Array<{ method: string; path: string; status: number | null }>;
  leftovers: Array<{ kind: string; name: string }>;
}

const PROBE = ['probe-create', 'probe-level-type', 'probe-read-back', 'probe-put-single', 'probe-put-keeps', 'probe-put-bulk', 'probe-assignment-fields', 'probe-deletes'];
const NEVER = ['invitation', 'turris-invite'];
const byStatus = (r: Report, status: string) => r.checks.filter((c) => c.status === status).map((c) => c.id).sort();

let dir: { path: string; cleanup: () => Promise<void> };
let em: Emulator | undefined;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.emitter.removeAllListeners('no match');
  await em?.close();
  em = undefined;
  await dir.cleanup();
});

describe('downline doctor', () => {
  it('--env local: every check it runs holds (exit 0); the write-probe checks are skipped, not failed', async () => {
    // A config repository with the quick-start in a folder: the local account lives at the repository root.
    execFileSync('git', ['init', '-q'], { cwd: dir.path });
    cpSync(example('quickstart'), join(dir.path, 'config'), { recursive: true });
    expect((await run(['apply', 'config', '--env', 'local', '--auto-approve'], { cwd: dir.path })).code).toBe(0);
    const result = await run(['doctor', '--env', 'local', '--format', 'json'], { cwd: dir.path });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(byStatus(report, 'differs')).toEqual([]);
    expect(byStatus(report, 'could-not-check')).toEqual([]);
    expect(byStatus(report, 'skipped')).toEqual([...PROBE, ...NEVER].sort());
    expect(byStatus(report, 'holds')).toEqual(expect.arrayContaining(['dns', 'tls', 'host', 'token', 'scopes', 'collection-keys', 'hal-shape', 'paging', 'page-size', 'list-vs-single',
      'level-type-casing', 'lookups', 'terminal-statuses', 'rate-limit-headers', 'hierarchies', 'producersync', 'turris-auth', 'turris-templates', 'turris-associations']));
    expect(report.checks.find((c) => c.id === 'level-type-casing')!.seen).toBe('existing levels carry type Percent (3)');
    expect(report.checks.find((c) => c.id === 'terminal-statuses')!.seen).toBe('10 of the 10 terminal names are assignment statuses here: TERMINATED, TERMINATED_FOR_CAUSE, DECLINED, CANCELLED, WITHDRAWN, EXPIRED, RELEASED, RESIGNED, DECEASED, REJECTED');
  });

  it('against a deviating API (nock): exactly the four deviations differ, with what was seen and the constant to change (exit 1)', async () => {
    em = await startEmulator();
    const target = em;
    expect((await run(['apply', example('quickstart'), '--auto-approve'], { cwd: dir.path, env: envFor(target) })).code).toBe(0);
    const API = 'https://api.doctor-stub.invalid';
    const AUTH = 'https://auth.doctor-stub.invalid';
    // Every request is served by the emulator, then bent: capitalised level types, pages capped at 100,
    // no productId on single level reads, and no rate-limit headers at all.
    const forward = (origin: string) => async function (this: { req: { headers: Record<string, string> } }, uri: string, body: unknown, method: string) {
      const url = new URL(uri, origin);
      if (Number(url.searchParams.get('size')) > 100) url.searchParams.set('size', '100');
      const headers: Record<string, string> = {};
      for (const h of ['authorization', 'content-type']) if (this.req.headers[h]) headers[h] = this.req.headers[h];
      const response = await fetch(`${target.url}${url.pathname}${url.search}`, { method, headers, body: body === '' || body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await response.text();
      let json = text ? JSON.parse(text) : undefined;
      if (json && text.includes('"type"')) json = JSON.parse(text.replace(/"type":"(Percent|Dollar|Number)"/g, (_m, t: string) => `"type":"${t.toUpperCase()}"`));
      if (method === 'GET' && /\/commissionLevels\/[^/]+$/.test(url.pathname) && json) delete json.productId;
      return [response.status, json ?? '', { 'content-type': response.headers.get('content-type') ?? 'application/json' }] as [number, unknown, Record<string, string>];
    };
    for (const [origin, method] of [[API, 'GET'], [AUTH, 'POST']] as const) {
      const scope = nock(origin).persist();
      scope.intercept(() => true, method).reply(function (this: { req: { headers: Record<string, string> } }, uri: string, body: unknown) {
        return forward(origin).call(this, uri, body, method);
      } as never);
    }
    const env = { DOWNLINE_ENV: 'sandbox', AGENTSYNC_BASE_URL: `${API}/contracting`, AGENTSYNC_TOKEN_URL: `${AUTH}/oauth2/token`, AGENTSYNC_CLIENT_ID: target.credentials.clientId, AGENTSYNC_CLIENT_SECRET: target.credentials.clientSecret };
    const result = await run(['doctor', '--format', 'json'], { cwd: dir.path, env });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(byStatus(report, 'differs')).toEqual(['level-type-casing', 'list-vs-single', 'page-size', 'rate-limit-headers']);
    const check = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(check('level-type-casing').seen).toBe('existing levels carry type PERCENT (3); downline sends Percent / Dollar / Number');
    expect(check('level-type-casing').constant).toContain('COMMISSION_TYPE_WIRE in src/kinds/commission-level.ts');
    expect(check('page-size').seen).toMatch(/^asked size=1000, the server answered page\.size=100 \(pages are capped at 100\)/);
    expect(check('page-size').constant).toContain('LIST_PAGE_SIZE');
    expect(check('list-vs-single').seen).toBe('commission level: the single GET lacks productId');
    expect(check('rate-limit-headers').seen).toMatch(/^no rate-limit headers on \d+ responses/);
    // Turris is not configured here: reported as not checkable, never as a deviation.
    expect(check('turris-auth').status).toBe('could-not-check');
    // The text report names the constant under each deviation.
    const text = await run(['doctor'], { cwd: dir.path, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  ✗ level-type-casing  commission level type is Percent / Dollar / Number on the wire\n      differs: existing levels carry type PERCENT (3); downline sends Percent / Dollar / Number\n      decided by COMMISSION_TYPE_WIRE in src/kinds/commission-level.ts\n');
  });

  it('refused credentials: the token check differs, the rest could not be checked (exit 1), nothing leaks', async () => {
    em = await startEmulator();
    const env = envFor(em, { AGENTSYNC_CLIENT_SECRET: 'wrong-s3cret' });
    const result = await run(['doctor', '--format', 'markdown'], { cwd: dir.path, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('| ✗ differs | `token` | client credentials are accepted (form body) and the token says when it expires | the token endpoint refused the client credentials: POST /oauth2/token → 401: invalid_client |');
    expect(result.stdout).toContain('| ? could not check | `collection-keys` |');
    // dns, tls and host hold for the token host; Turris has its own credentials and is still checked.
    expect(result.stdout).toMatch(/^\*\*6 hold, 1 differ, 16 could not be checked, 10 skipped\.\*\*$/m);
    expect(result.stdout).toContain('| ✓ holds | `turris-templates` |');
    expect(result.stdout).not.toContain('wrong-s3cret');
    expect(em.log.filter((r) => r.path.startsWith('/contracting'))).toEqual([]);
  });

  it('a token without the delete scope: the scopes check differs, naming what needs it', async () => {
    nock.disableNetConnect();
    nock('https://auth.scopes.invalid').post('/oauth2/token').reply(200, { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600, scope: 'rino_api_agency_read rino_api_agency_write' });
    nock('https://api.scopes.invalid').persist().get('/contracting/v1/customers/carriers').query(true).reply(200, { _links: { self: { href: '/v1/customers/carriers' } }, page: { size: 1, totalElements: 0, totalPages: 0, number: 0 } });
    const env = { DOWNLINE_ENV: 'sandbox', AGENTSYNC_BASE_URL: 'https://api.scopes.invalid/contracting', AGENTSYNC_TOKEN_URL: 'https://auth.scopes.invalid/oauth2/token', AGENTSYNC_CLIENT_ID: 'id', AGENTSYNC_CLIENT_SECRET: 'secret' };
    const result = await run(['doctor', '--format', 'json'], { cwd: dir.path, env });
    const report = JSON.parse(result.stdout) as Report;
    const check = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(check('scopes')).toMatchObject({ status: 'differs', seen: 'granted rino_api_agency_read, rino_api_agency_write; missing rino_api_agency_delete (needed by apply with prune)' });
    expect(check('token')).toMatchObject({ status: 'holds', seen: 'client credentials accepted; expires_in 3600 s' });
    expect(check('host').status).toBe('holds');
    expect(result.code).toBe(1);
  });

  it('--write-probe against production is refused with exit 1 before any request', async () => {
    nock.disableNetConnect();
    let requests = 0;
    nock.emitter.on('no match', () => {
      requests += 1;
    });
    const env = { AGENTSYNC_CLIENT_ID: 'id', AGENTSYNC_CLIENT_SECRET: 'secret', AGENTSYNC_BASE_URL: 'https://api.prod-stub.invalid/contracting', AGENTSYNC_TOKEN_URL: 'https://auth.prod-stub.invalid/oauth2/token' };
    const result = await run(['doctor', '--env', 'production', '--write-probe', '--test-npn', '17000001'], { cwd: dir.path, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: --write-probe is refused against production: it creates, updates and deletes probe objects and leaves a carrier behind. Run it against --env sandbox\n');
    expect(result.stdout).toBe('');
    expect(requests).toBe(0);
  });

  it('--write-probe in a sandbox lists every write before making it, cleans up, reports the carrier left behind; --out has no secret or personal data', async () => {
    em = await startEmulator();
    const target = em;
    expect((await run(['apply', example('quickstart'), '--auto-approve'], { cwd: dir.path, env: envFor(target) })).code).toBe(0);
    const before = writes(target).length;
    let stdout = '';
    let stderr = '';
    let writesWhenListed = -1;
    const code = await main(['doctor', '--write-probe', '--test-npn', '17000001', '--test-upline-npn', '17000002', '--out', 'doctor.json'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: {
        write: (s: string) => {
          if (s.includes('the write probe will make these writes')) writesWhenListed = writes(target).length - before;
          stderr += s;
        },
      },
      env: { DOWNLINE_RETRY_BASE_MS: '5', ...envFor(target) },
      cwd: dir.path,
      isTTY: false,
    });
    expect(code).toBe(0);
    expect(writesWhenListed).toBe(0);
    const report = JSON.parse(await readFile(join(dir.path, 'doctor.json'), 'utf8')) as Report;
    expect(byStatus(report, 'differs')).toEqual([]);
    expect(report.checks.filter((c) => PROBE.includes(c.id)).every((c) => c.status === 'holds')).toBe(true);
    // Bulk creates are matched by name (as apply matches them), never by the order of the answer.
    const create = report.checks.find((c) => c.id === 'probe-create')!;
    expect([create.assumption, create.seen].join(' ')).toContain('matched to the request by name');
    expect([create.assumption, create.seen].join(' ')).not.toContain('request order');
    // The listing names, in order, exactly the writes that were then made.
    const listed = [...stderr.matchAll(/^ {2}\d+\. (\S+) (.+?) — /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(report.writes.map((w) => `${w.method} ${w.path}`)).toEqual(listed);
    expect(writes(target).length - before).toBe(listed.length);
    expect(report.writes.at(-1)).toEqual(expect.objectContaining({ method: 'DELETE', path: '/v1/customers/carriers/{probe carrier}', status: 405 }));
    // Only the carrier is left behind: products, levels and assignments of the probe are gone.
    expect(report.leftovers).toEqual([expect.objectContaining({ kind: 'carrier', name: expect.stringMatching(/^downline-doctor-\d{14}-[0-9a-f]{4}$/) })]);
    expect(target.store.data.carriers.map((c) => c.name)).toEqual(['Acme Insurance Company', report.leftovers[0].name]);
    expect(target.store.data.products).toHaveLength(1);
    expect(target.store.data.levels).toHaveLength(3);
    expect(target.store.data.assignments.map((a) => a.npn).sort()).toEqual(['15645555', '15645556']);
    expect(stdout).toContain('Left behind:\n  carrier "downline-doctor-');
    // The file a team attaches to a support request: no credentials, tokens or producers.
    const file = await readFile(join(dir.path, 'doctor.json'), 'utf8');
    const tokens = [...(target.tokens as unknown as { grants: Map<string, unknown> }).grants.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    for (const secret of [target.credentials.clientSecret, target.credentials.clientId, target.credentials.turrisClientSecret, ...tokens, '17000001', '17000002', '15645555', '15645556', 'jane@example.com', 'Jane', 'access_token', 'Bearer']) {
      expect(file).not.toContain(secret);
    }
  });
});

describe('downline doctor --write-probe when a step fails', () => {
  it('stops at the refused write, reports it on its check, still removes what it created and names what is left', async () => {
    em = await startEmulator();
    em.faults.push({ method: 'POST', path: /^\/contracting\/v1\/customers\/[^/]+\/commissionLevels$/, status: 400, times: 1 });
    const result = await run(['doctor', '--write-probe', '--format', 'json'], { cwd: dir.path, env: envFor(em) });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    const check = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(check('probe-level-type')).toMatchObject({ status: 'differs', seen: expect.stringMatching(/^a level of type Percent was refused: POST \/v1\/customers\/[^/]+\/commissionLevels → 400: Injected failure\.$/) });
    expect(check('probe-create')).toMatchObject({ status: 'could-not-check', seen: 'an earlier probe step failed' });
    expect(check('probe-deletes').status).toBe('holds');
    expect(report.writes.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      'POST /v1/customers/carriers 201',
      'POST /v1/customers/carriers/{probe carrier}/products 201',
      'POST /v1/customers/{probe product}/commissionLevels 400',
      'DELETE /v1/customers/products/{probe product} 204',
      'DELETE /v1/customers/carriers/{probe carrier} 405',
    ]);
    expect(report.leftovers.map((l) => l.kind)).toEqual(['carrier']);
    expect(em.store.data.products).toEqual([]);
  });

  it('refuses a malformed --test-npn before connecting', async () => {
    em = await startEmulator();
    const result = await run(['doctor', '--write-probe', '--test-npn', '12ab'], { cwd: dir.path, env: envFor(em) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: --test-npn must be an NPN (1 to 15 digits), got "12ab"\n');
    expect(em.log).toEqual([]);
  });
});

describe('the list-vs-single assumption in use', () => {
  it('a saved plan that updates a commission level applies (the single GET fingerprints like the listed level)', async () => {
    em = await startEmulator();
    const env = envFor(em);
    expect((await run(['apply', example('quickstart'), '--auto-approve'], { cwd: dir.path, env })).code).toBe(0);
    const config = (await readFile(join(example('quickstart'), 'downline.yaml'), 'utf8')).replace('firstYearValue: 55,', 'firstYearValue: 56,');
    await writeFile(join(dir.path, 'downline.yaml'), config);
    expect((await run(['plan', '--out', 'plan.json'], { cwd: dir.path, env })).code).toBe(0);
    const result = await run(['apply', '--plan', 'plan.json'], { cwd: dir.path, env });
    expect(result.stderr).not.toContain('since the plan');
    expect(result.code).toBe(0);
    expect(em.store.data.levels.find((l) => l.name === 'Level 1 — 55%')!.firstYearValue).toBe(56);
  });
});
