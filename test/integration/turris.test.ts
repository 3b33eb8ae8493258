import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idempotencyKeyOf } from '../../src/kinds/turris-invite.js';
import { count, envFor, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();

const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

async function turris(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const jwt = await fetch(`${sandbox.em.turrisUrl}/v1/auth/jwt`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: sandbox.em.credentials.turrisClientId, clientSecret: sandbox.em.credentials.turrisClientSecret }) });
  expect(jwt.status).toBe(201);
  const { data } = (await jwt.json()) as { data: { accessToken: string; expiresIn: number } };
  const r = await fetch(`${sandbox.em.turrisUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${data.accessToken}`, 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

const INVITE = { useInviteUrl: true, isNpnRequired: true, downstreamEntityName: 'ABC Agency', firstName: 'John', lastName: 'Doe', email: 'john@abc.example', category: 'agency', producerCode: 'ABC-1' };

describe('Turris invitations', () => {
  it('are sent exactly once across three applies, with the invite URL reported', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await downline('apply', '--auto-approve', example('agency'), ...(i === 0 ? ['--show-invite-links'] : []));
      expect(result.code).toBe(0);
      if (i === 0) expect(result.stdout).toMatch(/invite link for turrisInvite\."ana@gulfcoast-agency\.example": https:\/\//);
    }
    expect(count(sandbox.em, 'POST', /\/downstream-entity-associations\/invite$/)).toBe(2);
    expect(sandbox.em.store.data.turris.associations).toHaveLength(2);
  });

  it('send the template id resolved from its name, or the pre-contract review setting, and a stable idempotency key', async () => {
    await downline('plan', example('agency'), '--out', 'plan.json');
    const plan = JSON.parse(readFileSync(join(sandbox.dir.path, 'plan.json'), 'utf8'));
    const [code, email] = plan.changes.filter((c: { address: { kind: string } }) => c.address.kind === 'turrisInvite');
    expect(code.operation.body).toMatchObject({ producerCode: 'LSB-001', contractContainerTemplateId: '65a0c0ffee00000000000002', category: 'wholesale brokerage' });
    expect(code.operation.idempotencyKey).toBe(idempotencyKeyOf('LSB-001'));
    expect(code.operation.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(email.operation.body).toMatchObject({ onboardingSettings: { isPreContractReviewStepUsed: true }, useInviteUrl: true });
  });

  it('an unknown or archived template name is an error at its line, with a suggestion', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), readFileSync(join(example('agency'), 'downline.yaml'), 'utf8').replace('contractTemplate: Wholesale Broker Agreement', 'contractTemplate: Wholesale Brokers Agreement'));
    const result = await downline('plan');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/downline\.yaml:\d+:\d+: error: unknown or inactive Turris contract template "Wholesale Brokers Agreement" \(did you mean "Wholesale Broker Agreement"\?\)/);
  });

  it('a lost response to an invite is found again, not sent twice', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/downstream-entity-associations\/invite$/, status: 502, times: 1, afterCommit: true });
    expect((await downline('apply', '--auto-approve', example('agency'))).code).toBe(0);
    expect(sandbox.em.store.data.turris.associations).toHaveLength(2);
  });
});

describe('the Turris emulator', () => {
  it('answers a repeated idempotency key from its cache instead of inviting twice', async () => {
    const key = idempotencyKeyOf('ABC-1');
    const first = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: INVITE, headers: { 'idempotency-key': key } });
    const second = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: INVITE, headers: { 'x-idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(sandbox.em.store.data.turris.associations).toHaveLength(1);
    const bad = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: INVITE, headers: { 'idempotency-key': 'not-a-uuid' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessage).toEqual(['Invalid idempotency key format. The idempotency-key must be a valid UUID']);
    const without = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: INVITE });
    expect(without.status).toBe(201);
    expect(sandbox.em.store.data.turris.associations).toHaveLength(2);
  });

  it('rejects a template together with pre-contract review, and templates that are not active', async () => {
    const both = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: { ...INVITE, contractContainerTemplateId: '65a0c0ffee00000000000001', onboardingSettings: { isPreContractReviewStepUsed: true } } });
    expect(both.status).toBe(400);
    const archived = await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: { ...INVITE, contractContainerTemplateId: '65a0c0ffee00000000000003' } });
    expect(archived.body).toMatchObject({ statusCode: 400, errorType: 'invalid_input', errorMessage: ['No active contract template found for that contractContainerTemplateId'] });
    const templates = await turris('/v1/contract-container-templates');
    expect(templates.body.data.map((t: { name: string }) => t.name)).toEqual(['Standard Producer Agreement', 'Wholesale Broker Agreement']);
  });

  it('lists associations by one filter at a time', async () => {
    await turris('/v1/downstream-entity-associations/invite', { method: 'POST', body: INVITE });
    expect((await turris('/v1/downstream-entity-associations?email=john@abc.example')).body.data).toHaveLength(1);
    expect((await turris('/v1/downstream-entity-associations?emailDomain=abc.example')).body.data).toHaveLength(1);
    expect((await turris('/v1/downstream-entity-associations?email=a@b.c&emailDomain=abc.example')).status).toBe(400);
    expect((await turris('/v1/downstream-entity-associations?licenseNumber=X')).status).toBe(400);
    const one = (await turris('/v1/downstream-entity-associations')).body.data[0];
    expect(one).toMatchObject({ producerCode: 'ABC-1', downstreamEntity: { legalName: 'ABC Agency', category: 'agency' } });
    expect((await turris(`/v1/downstream-entity-associations/${one._id}`)).body.data._id).toBe(one._id);
  });

  it('an edit to an invitation Turris already associated is said to be not applied (Turris has no update), in the pull request plan', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: sandbox.dir.path, encoding: 'utf8' });
    const file = join(sandbox.dir.path, 'downline.yaml');
    writeFileSync(file, readFileSync(join(example('agency'), 'downline.yaml'), 'utf8'));
    git('init', '-q');
    git('add', 'downline.yaml');
    git('commit', '-q', '-m', 'base');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('category: wholesale brokerage', 'category: agency'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('downstreamEntityName: Lone Star Brokerage LLC')) + 1;
    const since = await downline('plan', '--since', 'HEAD', '--detailed-exitcode');
    expect(since.code).toBe(0);
    expect(since.stdout).toMatch(new RegExp(`downline\\.yaml:${line}:\\d+: warning: Turris invitation "LSB-001" is associated in Turris already: its category changed since HEAD, and Turris has no update for an association, so the change is not applied`));
    expect(since.stdout).toContain('(make the change in Turris itself, or end the association there and plan again to invite anew)');
    // Without a base nothing tells an edit from the original: no warning (the note stays under --verbose).
    expect((await downline('plan')).stdout).not.toContain('is associated in Turris already');
  });
});
