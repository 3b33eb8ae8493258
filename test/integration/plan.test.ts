import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, startEmulator, token, useSandbox, writes } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();

const quickstart = example('quickstart');
const plan = (args: string[] = [], extra: Record<string, string> = {}) => run(['plan', ...args], { cwd: sandbox.dir.path, env: envFor(sandbox.em, extra) });
const apply = (args: string[] = []) => run(['apply', '--auto-approve', ...args], { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

describe('downline plan', () => {
  it('plans a fresh account: everything to create, children against (new) parents, zero writes', async () => {
    const result = await plan([quickstart, '--detailed-exitcode']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('+ carrier "Acme Insurance Company"');
    expect(result.stdout).toContain('+ product "Acme Insurance Company / Term Life — Standard"  (under new carrier "Acme Insurance Company")');
    expect(result.stdout).toContain('+ invitation of 15645556');
    expect(result.stdout).toContain('Plan: 7 to create, 0 to update, 0 to delete, 0 unmanaged.');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('a converged account has no changes (exit 0), and the request count stays within budget', async () => {
    expect((await apply([quickstart])).code).toBe(0);
    sandbox.em.log.length = 0;
    const result = await plan([quickstart, '--detailed-exitcode']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');
    expect(writes(sandbox.em)).toEqual([]);
    // 1 token + 4 lookups + 1 carrier page + 1 product page + 1 level page + 1 lookup per npn (2).
    expect(sandbox.em.log.filter((r) => r.path.endsWith('/oauth2/token'))).toHaveLength(1);
    expect(sandbox.em.log.length).toBeLessThanOrEqual(1 + 4 + 1 + 1 + 1 + 2);
  });

  it('shows drift in each kind as updates with before → after', async () => {
    await apply([quickstart]);
    const t = await token(sandbox.em);
    const carrier = sandbox.em.store.data.carriers[0];
    const product = sandbox.em.store.data.products[0];
    const level = sandbox.em.store.data.levels.find((l) => l.name === 'Level 1 — 55%')!;
    const other = sandbox.em.store.data.levels.find((l) => l.name === 'Level 2 — 60%')!;
    const assignment = sandbox.em.store.data.assignments.find((a) => a.npn === '15645555')!;
    const health = (await call(sandbox.em, t, 'GET', '/v1/linesOfBusiness')).body._embedded.linesOfBusiness.find((l: { name: string }) => l.name === 'Health').id;
    await call(sandbox.em, t, 'PUT', `/v1/customers/carriers/${carrier.id}`, { naic: '99999' });
    await call(sandbox.em, t, 'PUT', `/v1/customers/products/${product.id}`, { lineOfBusinessId: health });
    await call(sandbox.em, t, 'PUT', `/v1/customers/commissionLevels/${level.id}`, { firstYearValue: 50 });
    await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, { commissionLevelId: other.id });
    const result = await plan([quickstart, '--detailed-exitcode']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('~ carrier "Acme Insurance Company"');
    expect(result.stdout).toContain('naic: "99999" → "12345"');
    expect(result.stdout).toContain('lineOfBusiness: "Health" → "Life"');
    expect(result.stdout).toContain('firstYearValue: 50 → 55');
    expect(result.stdout).toContain('commissionLevel: "Level 2 — 60%" → "Level 1 — 55%"');
    expect(result.stdout).toContain('Plan: 0 to create, 4 to update, 0 to delete, 0 unmanaged.');
  });

  it('reports workflow progress of a status instead of reverting it, unless statusPolicy is enforce', async () => {
    await apply([quickstart]);
    const t = await token(sandbox.em);
    const statuses = (await call(sandbox.em, t, 'GET', '/v1/assignmentStatuses?size=100')).body._embedded.assignmentStatuses;
    const pending = statuses.find((s: { name: string }) => s.name === 'PENDING_WITH_CARRIER').id;
    const assignment = sandbox.em.store.data.assignments.find((a) => a.npn === '15645555')!;
    await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, { assignmentStatusId: pending });
    const initial = await plan([quickstart, '--detailed-exitcode', '--verbose']);
    expect(initial.code).toBe(0);
    expect(initial.stdout).toContain('status is PENDING_WITH_CARRIER (workflow progress since APPROVED; not reverted');
    const enforced = readFileSync(join(quickstart, 'downline.yaml'), 'utf8').replace('    status: APPROVED\n', '    status: APPROVED\n    statusPolicy: enforce\n');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), enforced);
    const result = await plan(['--detailed-exitcode']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('status: "PENDING_WITH_CARRIER" → "APPROVED"');
  });

  it('works with page size 1 everywhere', async () => {
    await sandbox.em.close();
    sandbox.em = await startEmulator({ pageSize: 1, maxPageSize: 1 });
    expect((await apply([example('agency')])).code).toBe(0);
    const result = await plan([example('agency'), '--detailed-exitcode']);
    expect(result.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');
    expect(result.code).toBe(0);
  });

  it('an unknown lookup name is an error at its line with a suggestion', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Lief\n');
    const result = await plan();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('downline.yaml:6:25: error: unknown line of business "Lief" (did you mean "Life"?)');
  });

  it('lists unmanaged live objects and never touches them', async () => {
    const t = await token(sandbox.em);
    await call(sandbox.em, t, 'POST', '/v1/customers/carriers', { name: 'Someone Else Co' });
    const result = await plan([quickstart]);
    expect(result.stdout).toContain('? carrier "Someone Else Co"');
    expect(result.stdout).toContain('1 unmanaged.');
  });

  it('--target limits the plan to an address and what it depends on', async () => {
    const result = await plan([quickstart, '--target', 'product.Acme Insurance Company/Term Life — Standard']);
    expect(result.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete, 0 unmanaged.');
  });

  it('renders JSON (versioned) and markdown (summary first, marker, collapsible sections)', async () => {
    const json = JSON.parse((await plan([quickstart, '--format', 'json'])).stdout);
    expect(json).toMatchObject({ formatVersion: 1, tool: 'downline', env: 'sandbox', summary: { create: 7, update: 0, delete: 0, noop: 0, unmanaged: 0 } });
    expect(json.changes[1]).toMatchObject({ address: { kind: 'product' }, action: 'create', dependsOn: ['carrier.Acme Insurance Company'] });
    expect(json.changes[1].operation.path).toBe('/v1/customers/carriers/{0}/products');
    const md = (await plan([quickstart, '--format', 'markdown'])).stdout;
    expect(md.startsWith('<!-- downline-plan -->\n### downline plan (sandbox)\n\n**7 to create, 0 to update, 0 to delete**')).toBe(true);
    expect(md).toContain('<details><summary>Carriers (1)</summary>');
  });

  it('is deterministic: the same inputs give byte-identical plans', async () => {
    const a = await plan([example('agency'), '--format', 'json']);
    const b = await plan([example('agency'), '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('never prints secrets or tokens, in any format, with --debug, or in a saved plan', async () => {
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown', 'github']) {
      const r = await plan([example('agency'), '--format', format, '--debug', '--out', 'plan.json']);
      outputs.push(r.stdout, r.stderr, readFileSync(join(sandbox.dir.path, 'plan.json'), 'utf8'));
    }
    const bad = await run(['plan', quickstart], { cwd: sandbox.dir.path, env: envFor(sandbox.em, { AGENTSYNC_CLIENT_SECRET: 'wrong-secret-value' }) });
    expect(bad.code).toBe(1);
    outputs.push(bad.stdout, bad.stderr);
    const all = outputs.join('\n');
    expect(all).toContain('debug: GET /contracting/v1/customers/carriers');
    expect(all).not.toContain(sandbox.em.credentials.clientSecret);
    expect(all).not.toContain(sandbox.em.credentials.turrisClientSecret);
    expect(all).not.toContain('wrong-secret-value');
    expect(all).not.toMatch(/Bearer [A-Za-z0-9_-]{10,}/);
  });

  it('without --env uses local with a notice, but under CI refuses', async () => {
    // A copy: the local account lives beside the config (or at its repository root), never in this repository.
    const copy = join(sandbox.dir.path, 'quickstart');
    cpSync(quickstart, copy, { recursive: true });
    const ci = await run(['plan', copy], { cwd: sandbox.dir.path, env: { CI: 'true' } });
    expect(ci.code).toBe(1);
    expect(ci.stderr).toContain('no environment chosen');
    const local = await run(['plan', copy, '--detailed-exitcode'], { cwd: sandbox.dir.path, env: {} });
    expect(local.stderr).toContain('using the local emulator');
    expect(local.code).toBe(2);
  });
});
