import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignmentConfig } from '../bench/generate.js';
import { call, envFor, token, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();

const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

async function roundTrip(): Promise<string> {
  const exported = await downline('export', '--out', 'exported.yaml');
  expect(exported.code).toBe(0);
  const plan = await downline('plan', 'exported.yaml', '--detailed-exitcode');
  expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');
  expect(plan.code).toBe(0);
  return exported.stderr;
}

describe('downline export', () => {
  it('round-trips an empty account', async () => {
    const out = await downline('export');
    expect(out.stdout).toContain('version: 1\ncarriers: []');
    await roundTrip();
  });

  it('round-trips a small account: names for ids, normalised types, npns groups, id comments', async () => {
    expect((await downline('apply', '--auto-approve', example('agency'))).code).toBe(0);
    const out = (await downline('export')).stdout;
    expect(out).toContain('lineOfBusiness: Fixed Indexed Annuity');
    expect(out).toContain('type: dollar');
    expect(out).toMatch(/# id: [0-9a-f-]{36}\n {2}- name: Acme Life Insurance Company/);
    expect(out).toContain('- npns: [ "17100001", "17100002", "17100003"');
    expect((await downline('export')).stdout).toBe(out);
    await roundTrip();
  });

  it('round-trips a 1,000-assignment account', async () => {
    writeFileSync(join(sandbox.dir.path, 'big.yaml'), assignmentConfig(1000));
    expect((await downline('apply', '--auto-approve', '--concurrency', '8', 'big.yaml')).code).toBe(0);
    await roundTrip();
  });

  it('exports only the producers asked for with --npn / --npn-file', async () => {
    await downline('apply', '--auto-approve', example('quickstart'));
    writeFileSync(join(sandbox.dir.path, 'npns.txt'), '15645556\n');
    const out = (await downline('export', '--npn-file', 'npns.txt')).stdout;
    expect(out).toContain('npn: "15645556"');
    // 15645555 appears only as 15645556's upline, never as an exported producer.
    expect(out).not.toContain('npn: "15645555"');
    expect(out).toContain('upline: "15645555"');
  });

  it('exports the states of assignments (round-trip clean), and warns for what the API does not read back, and for Turris only when the account has associations', async () => {
    await downline('apply', '--auto-approve', example('quickstart'));
    const t = await token(sandbox.em);
    const a = sandbox.em.store.data.assignments.find((x) => x.npn === '15645555')!;
    await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${a.id}`, { administrativeDivisions: ['TX', 'NY'] });
    const out = await downline('export');
    expect(out.stdout).toContain('  - npn: "15645555"\n    carrier: Acme Insurance Company\n    product: Term Life — Standard\n    commissionLevel: Level 1 — 55%\n    status: APPROVED\n    administrativeDivisions: [ NY, TX ]\n');
    expect(out.stdout).toContain('    status: PENDING_WITH_PRODUCER\n    administrativeDivisions: [ CA, CO ]\n');
    expect(out.stderr).toContain('warning: no live contract assignment carries userDefined1..10: the API does not read them back (or none is set), so the export cannot write them');
    expect(out.stderr).toContain('warning: no live carrier carries uplineFirmName, linesOfBusiness, contractSubmissionMethods, administrativeDivisions, userDefined1..10');
    // No Turris association in the account: nothing is left out, so no warning.
    expect(out.stderr).not.toContain('Turris');
    await roundTrip();
    sandbox.em.store.addAssociation({ _id: '0123456789abcdef01234567', producerCode: 'AG-1', email: 'ops@agency.example.com' });
    expect((await downline('export')).stderr).toContain('warning: Turris invitations are not exported');
  });

  it('warns about what the config cannot express instead of dropping it silently', async () => {
    await downline('apply', '--auto-approve', example('quickstart'));
    const t = await token(sandbox.em);
    const a = sandbox.em.store.data.assignments[0];
    await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: a.npn, productId: a.productId, commissionLevelId: a.commissionLevelId });
    const out = await downline('export');
    expect(out.stderr).toContain(`warning: the contract of ${a.npn} on "Acme Insurance Company / Term Life — Standard" appears twice in the account`);
  });
});
