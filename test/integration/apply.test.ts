import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, count, envFor, token, writes, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();

const env = () => envFor(sandbox.em);
const apply = (args: string[]) => run(['apply', '--auto-approve', ...args], { cwd: sandbox.dir.path, env: env() });
const plan = (args: string[]) => run(['plan', ...args], { cwd: sandbox.dir.path, env: env() });
const quickstart = example('quickstart');

describe('downline apply', () => {
  it.each(['quickstart', 'agency', 'split', 'roster'])('%s: apply to an empty account, then plan is clean and a second apply writes nothing', async (name) => {
    const first = await apply([example(name), '--report', 'report.json', '--show-invite-links']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Apply complete: \d+ created, 0 updated, 0 deleted, 0 failed, 0 skipped\./);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ formatVersion: 1, tool: 'downline', summary: { failed: 0, skipped: 0 } });
    expect(report.inviteLinks.length).toBeGreaterThan(0);
    expect((await plan([example(name), '--detailed-exitcode'])).code).toBe(0);
    sandbox.em.log.length = 0;
    const second = await apply([example(name)]);
    expect(second.code).toBe(0);
    // Declared fields the API does not read back: never "matches", but nothing to write either.
    if (second.stdout.includes('Not verified')) expect(second.stdout).toMatch(/\nNothing to write; \d+ object\(s\) have declared fields downline cannot verify/);
    else expect(second.stdout).toContain('No changes. The live account matches the config.');
    expect(second.stdout.includes('Not verified') && second.stdout.includes('matches')).toBe(false);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('creates the new levels of one product in one bulk POST, in dependency order', async () => {
    await apply([quickstart]);
    expect(count(sandbox.em, 'POST', /\/commissionLevels\/bulk$/)).toBe(1);
    expect(count(sandbox.em, 'POST', /\/commissionLevels$/)).toBe(0);
    const order = writes(sandbox.em).map((w) => w.path.replace(/[0-9a-f-]{36}/g, ':id'));
    expect(order).toEqual([
      '/contracting/v1/customers/carriers',
      '/contracting/v1/customers/carriers/:id/products',
      '/contracting/v1/customers/:id/commissionLevels/bulk',
      '/contracting/v1/customers/contractAssignments',
      '/contracting/v1/invitation',
    ]);
  });

  it('sends an invitation exactly once across three applies', async () => {
    for (let i = 0; i < 3; i++) expect((await apply([quickstart])).code).toBe(0);
    expect(count(sandbox.em, 'POST', /\/v1\/invitation$/)).toBe(1);
    expect(sandbox.em.store.data.assignments.filter((a) => a.npn === '15645556')).toHaveLength(1);
  });

  it('a partly satisfied invitation invites only the missing contracts', async () => {
    const config = readFileSync(join(quickstart, 'downline.yaml'), 'utf8').replace('        userDefined1: my-internal-ref\n',
      '        userDefined1: my-internal-ref\n      - { carrier: Acme Insurance Company, product: Term Life — Standard 2, commissionLevel: L1 }\n')
      .replace('assignments:', '      - name: Term Life — Standard 2\n        lineOfBusiness: Life\n        commissionLevels: [{ name: L1, type: percent }]\n\nassignments:');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config);
    // Someone contracted the producer on the first product already.
    await apply([quickstart]);
    const before = sandbox.em.store.data.invitations.length;
    const result = await apply([]);
    expect(result.code).toBe(0);
    expect(sandbox.em.store.data.invitations.length).toBe(before + 1);
    const sent = sandbox.em.store.data.invitations[before] as { assignmentIds: string[] };
    expect(sent.assignmentIds).toHaveLength(1);
    expect(sandbox.em.store.data.assignments.filter((a) => a.npn === '15645556')).toHaveLength(2);
  });

  it('continues past a failed write, skips its dependents, reports all three, and a re-run converges', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/products$/, status: 400, times: 1 });
    const first = await apply([example('agency'), '--report', 'report.json']);
    expect(first.code).toBe(1);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    expect(report.summary.failed).toBe(1);
    expect(report.summary.skipped).toBeGreaterThan(0);
    expect(report.summary.succeeded).toBeGreaterThan(0);
    const failed = report.results.find((r: { outcome: string }) => r.outcome === 'failed');
    expect(failed.error).toContain('400');
    const skipped = report.results.filter((r: { outcome: string }) => r.outcome === 'skipped');
    expect(skipped.every((r: { error: string }) => r.error.startsWith('depends on '))).toBe(true);
    expect(first.stdout).toContain('Apply incomplete');
    const second = await apply([example('agency')]);
    expect(second.code).toBe(0);
    expect((await plan([example('agency'), '--detailed-exitcode'])).code).toBe(0);
    const keys = sandbox.em.store.data.assignments.map((a) => `${a.npn}/${a.productId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(sandbox.em.store.data.products.map((p) => p.name)).size).toBe(sandbox.em.store.data.products.length);
  });

  it('a write that commits but answers 502 is found again, never duplicated', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/customers\/carriers$/, status: 502, times: 1, afterCommit: true });
    sandbox.em.faults.push({ method: 'POST', path: /\/contractAssignments$/, status: 502, times: 1, afterCommit: true });
    sandbox.em.faults.push({ method: 'POST', path: /\/invitation$/, status: 503, times: 1, afterCommit: true });
    const result = await apply([quickstart]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('adopted after ambiguous failure (502)');
    expect(sandbox.em.store.data.carriers).toHaveLength(1);
    expect(sandbox.em.store.data.assignments.filter((a) => a.npn === '15645555')).toHaveLength(1);
    expect(sandbox.em.store.data.invitations).toHaveLength(1);
    expect((await apply([quickstart])).code).toBe(0);
    expect(sandbox.em.store.data.carriers).toHaveLength(1);
    expect(sandbox.em.store.data.assignments).toHaveLength(2);
  });

  it('a bulk create that commits but answers 502 adopts its levels instead of creating them again', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/commissionLevels\/bulk$/, status: 502, times: 1, afterCommit: true });
    const result = await apply([quickstart]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('adopted after ambiguous bulk failure (502)');
    expect(sandbox.em.store.data.levels).toHaveLength(3);
  });

  it('a connection reset on a create is resolved by lookup, then a retry when nothing was written', async () => {
    sandbox.em.faults.push({ method: 'POST', path: /\/customers\/carriers$/, status: 0, times: 1, mode: 'reset' });
    const result = await apply([quickstart]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('retried after ambiguous failure (network)');
    expect(sandbox.em.store.data.carriers).toHaveLength(1);
  });

  it('refuses a saved plan made stale by a change, naming the object, and writes nothing', async () => {
    await apply([quickstart]);
    const t = await token(sandbox.em);
    await call(sandbox.em, t, 'PUT', `/v1/customers/carriers/${sandbox.em.store.data.carriers[0].id}`, { naic: '11111' });
    expect((await plan([quickstart, '--out', 'plan.json'])).code).toBe(0);
    await call(sandbox.em, t, 'PUT', `/v1/customers/carriers/${sandbox.em.store.data.carriers[0].id}`, { naic: '22222' });
    sandbox.em.log.length = 0;
    const result = await run(['apply', quickstart, '--plan', 'plan.json'], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('carrier "Acme Insurance Company" differs from the saved plan in before, fields, fingerprint');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('executes a fresh saved plan exactly, and refuses one made from another config', async () => {
    expect((await plan([quickstart, '--out', 'plan.json'])).code).toBe(0);
    const other = await run(['apply', example('split'), '--plan', 'plan.json'], { cwd: sandbox.dir.path, env: env() });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('differs from the one the plan was made from');
    const result = await run(['apply', quickstart, '--plan', 'plan.json'], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Apply complete: 7 created');
    expect((await plan([quickstart, '--detailed-exitcode'])).code).toBe(0);
  });

  it('a saved create that someone else made meanwhile is stale', async () => {
    expect((await plan([quickstart, '--out', 'plan.json'])).code).toBe(0);
    await call(sandbox.em, await token(sandbox.em), 'POST', '/v1/customers/carriers', { name: 'Acme Insurance Company' });
    const result = await run(['apply', quickstart, '--plan', 'plan.json'], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('carrier "Acme Insurance Company" saved as create, but the config and the account now give noop');
  });

  it('on a non-TTY without --auto-approve, refuses and writes nothing', async () => {
    const result = await run(['apply', quickstart], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to apply without --auto-approve');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('on a TTY asks, and only "yes" applies', async () => {
    const no = await run(['apply', quickstart], { cwd: sandbox.dir.path, env: env(), isTTY: true, prompt: async () => 'y' });
    expect(no.code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
    const questions: string[] = [];
    const yes = await run(['apply', quickstart], { cwd: sandbox.dir.path, env: env(), isTTY: true, prompt: async (q) => (questions.push(q), 'yes') });
    expect(yes.code).toBe(0);
    expect(questions[0]).toContain("Only 'yes' is accepted");
    expect(yes.stderr).toContain('[7/7]');
  });
});
