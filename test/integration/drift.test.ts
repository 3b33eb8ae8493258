import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { EMULATOR_USER_HEADER } from '../../src/emulator/routes/assignments.js';
import { call, envFor, startEmulator, token, useSandbox, writes } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

let clock = '2026-01-10T09:00:00.000Z';
const sandbox = useSandbox({ now: () => new Date(clock) });

const npns = (from: number, n: number) => Array.from({ length: n }, (_, i) => `"${from + i}"`).join(', ');

const CONFIG = (termProducers: number) => `version: 1
agency:
  organizationId: 00000000-0000-4000-8000-000000000001
  inviter: { firstName: Admin, lastName: User, email: admin@agency.example }
carriers:
  - name: Acme Life
    products:
      - name: Term Life
        lineOfBusiness: Life
        administrativeDivisions: [CA, NY, TX]
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
          - { name: Senior, type: percent, firstYearValue: 90, level: 2 }
      - name: Whole Life
        lineOfBusiness: Life
        administrativeDivisions: [CA, NY, TX]
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 70, level: 1 }
assignments:
  # Term Life street producers, one row each
  - carrier: Acme Life
    product: Term Life
    commissionLevel: Street   # the default street level
    npns: [${npns(17100001, termProducers)}]
  - npn: "17200001"           # the regional lead
    carrier: Acme Life
    product: Term Life
    commissionLevel: Senior
    status: APPROVED          # we own this status
    statusPolicy: enforce
  - npn: "17200002"
    carrier: Acme Life
    product: Term Life
    commissionLevel: Street
    upline: "17100001"
invites:
  - producer: { npn: "17300001", email: pat@example.com, firstName: Pat, lastName: Lee }
    contracts:
      - { carrier: Acme Life, product: Whole Life, commissionLevel: Street, administrativeDivisions: [CA, NY] }
`;

const env = () => envFor(sandbox.em);
const at = (iso: string) => { clock = iso; };

/** Another writer (the AgentSync UI, say), named in the changelog through the emulator's user header. */
async function editAs(user: string, npn: string, product: string, body: Record<string, unknown>) {
  const t = await token(sandbox.em);
  const productId = sandbox.em.store.data.products.find((p) => p.name === product)!.id;
  const assignment = sandbox.em.store.data.assignments.find((a) => a.npn === npn && a.productId === productId)!;
  const answer = await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, body, { [EMULATOR_USER_HEADER]: user });
  expect(answer.status).toBe(200);
}

const levelId = (product: string, name: string) => {
  const productId = sandbox.em.store.data.products.find((p) => p.name === product)!.id;
  return sandbox.em.store.data.levels.find((l) => l.productId === productId && l.name === name)!.id;
};
const statusId = async (name: string) => {
  const statuses = (await call(sandbox.em, await token(sandbox.em), 'GET', '/v1/assignmentStatuses?size=100')).body._embedded.assignmentStatuses;
  return statuses.find((s: { name: string }) => s.name === name).id;
};

async function driftedAccount(termProducers = 20): Promise<void> {
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG(termProducers));
  at('2026-01-10T09:00:00.000Z');
  expect((await run(['apply', '--auto-approve'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
  at('2026-03-01T10:00:00.000Z');
  await editAs('Jane Admin', '17100003', 'Term Life', { commissionLevelId: levelId('Term Life', 'Senior') });
  at('2026-03-02T11:00:00.000Z');
  await editAs('Sam Ops', '17200001', 'Term Life', { assignmentStatusId: await statusId('PENDING_WITH_CARRIER') });
  at('2026-03-03T15:30:00.000Z');
  await editAs('Jane Admin', '17200002', 'Term Life', { uplineNpn: '17100002' });
  at('2026-03-04T12:00:00.000Z');
  await editAs('Jane Admin', '17300001', 'Whole Life', { administrativeDivisions: ['CA', 'NY', 'TX'] });
  at('2026-03-05T08:00:00.000Z');
  sandbox.em.log.length = 0;
}

const changelogReads = () => sandbox.em.log.filter((r) => r.method === 'GET' && r.path.endsWith('/changelog'));
const hierarchyListings = () => sandbox.em.log.filter((r) => r.method === 'GET' && r.path.endsWith('/productHierarchies'));

describe('plan --drift: who changed it, and when (SPEC §14)', () => {
  it('names who and when for a level, a status, an upline and states changed by others, reading each product hierarchy once', async () => {
    await driftedAccount();
    const result = await run(['plan', '--drift', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Drift: 4 object(s) differ from the config — changed outside git.\n'
      + '  ~ assignment of 17100003 on "Acme Life / Term Life" (commissionLevel): changed by Jane Admin on 2026-03-01\n'
      + '  ~ assignment of 17200001 on "Acme Life / Term Life" (status): changed by Sam Ops on 2026-03-02\n'
      + '  ~ assignment of 17200002 on "Acme Life / Term Life" (upline): changed by Jane Admin on 2026-03-03\n'
      + '  ~ assignment of 17300001 on "Acme Life / Whole Life" (administrativeDivisions): changed by Jane Admin on 2026-03-04\n');
    // One product-hierarchy listing for the carrier, one changelog read per affected product — never one per producer.
    expect(hierarchyListings()).toHaveLength(1);
    expect(changelogReads().map((r) => r.path).sort()).toHaveLength(2);
    expect(new Set(changelogReads().map((r) => r.path)).size).toBe(2);
    expect(changelogReads().every((r) => new URLSearchParams(r.query).get('sort') === 'modifiedDate,desc')).toBe(true);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('lists every object the header counts: a level changed outside git is listed, without names (levels have no changelog)', async () => {
    await driftedAccount();
    sandbox.em.store.data.levels.find((l) => l.id === levelId('Term Life', 'Street'))!.firstYearValue = 85;
    const result = await run(['plan', '--drift', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() });
    expect(result.code).toBe(2);
    const lines = result.stdout.split('\n');
    const header = lines.indexOf('Drift: 5 object(s) differ from the config — changed outside git.');
    expect(header).toBeGreaterThan(0);
    expect(lines.slice(header + 1, header + 7).filter((l) => l.startsWith('  ~ '))).toHaveLength(5);
    expect(lines[header + 5]).toBe('  ~ commission level "Acme Life / Term Life / Street" (firstYearValue): no changelog for this kind, so who and when are unknown');
    const md = await run(['plan', '--drift', '--format', 'markdown'], { cwd: sandbox.dir.path, env: env() });
    expect(md.stdout).toContain('> **Drift:** 5 object(s) differ');
    expect(md.stdout.split('\n').filter((l) => l.startsWith('> - '))).toHaveLength(5);
    expect(md.stdout).toContain('> - commission level "Acme Life / Term Life / Street" \\(firstYearValue\\): no changelog for this kind, so who and when are unknown');
  });

  it('markdown and JSON carry who and when too', async () => {
    await driftedAccount();
    const md = await run(['plan', '--drift', '--format', 'markdown'], { cwd: sandbox.dir.path, env: env() });
    expect(md.stdout).toContain('> - assignment of 17100003 on "Acme Life / Term Life" \\(commissionLevel\\): changed by Jane Admin on 2026\\-03\\-01');
    const json = JSON.parse((await run(['plan', '--drift', '--format', 'json'], { cwd: sandbox.dir.path, env: env() })).stdout);
    expect(json.drift).toEqual([
      { address: { kind: 'assignment', key: '17100003@Acme Life/Term Life' }, fields: ['commissionLevel'], modifiedByName: 'Jane Admin', modifiedDate: '2026-03-01T10:00:00.000Z' },
      { address: { kind: 'assignment', key: '17200001@Acme Life/Term Life' }, fields: ['status'], modifiedByName: 'Sam Ops', modifiedDate: '2026-03-02T11:00:00.000Z' },
      { address: { kind: 'assignment', key: '17200002@Acme Life/Term Life' }, fields: ['upline'], modifiedByName: 'Jane Admin', modifiedDate: '2026-03-03T15:30:00.000Z' },
      { address: { kind: 'assignment', key: '17300001@Acme Life/Whole Life' }, fields: ['administrativeDivisions'], modifiedByName: 'Jane Admin', modifiedDate: '2026-03-04T12:00:00.000Z' },
    ]);
    // Without --drift nothing is read from the changelog and the plan carries no attribution.
    sandbox.em.log.length = 0;
    const plain = JSON.parse((await run(['plan', '--format', 'json'], { cwd: sandbox.dir.path, env: env() })).stdout);
    expect(plain.drift).toBeUndefined();
    expect(changelogReads()).toEqual([]);
  });

  it('reads a long changelog newest first and stops at the oldest entry it needs', async () => {
    await sandbox.em.close();
    sandbox.em = await startEmulator({ now: () => new Date(clock), pageSize: 5, maxPageSize: 5 });
    await driftedAccount(40);
    const result = await run(['plan', '--drift'], { cwd: sandbox.dir.path, env: env() });
    expect(result.stdout).toContain('changed by Jane Admin on 2026-03-01');
    expect(result.stdout).toContain('changed by Sam Ops on 2026-03-02');
    // Term Life's changelog has 45 entries (9 pages of 5); both its drifted contracts are on the first page.
    const termId = sandbox.em.store.data.products.find((p) => p.name === 'Term Life')!.id;
    expect(sandbox.em.store.data.assignments.filter((a) => a.productId === termId).flatMap((a) => a.changes)).toHaveLength(45);
    expect(changelogReads()).toHaveLength(2);
    expect(changelogReads().map((r) => new URLSearchParams(r.query).get('page'))).toEqual(['0', '0']);
  });

  it('says when the changelog has no entry for a contract, and plans on with one warning when it cannot be read', async () => {
    await driftedAccount();
    const termId = sandbox.em.store.data.products.find((p) => p.name === 'Term Life')!.id;
    sandbox.em.store.data.assignments.find((a) => a.npn === '17100003' && a.productId === termId)!.changes = [];
    const unknown = await run(['plan', '--drift'], { cwd: sandbox.dir.path, env: env() });
    expect(unknown.stdout).toContain('  ~ assignment of 17100003 on "Acme Life / Term Life" (commissionLevel): who and when unknown (no changelog entry for it)\n');
    sandbox.em.faults.push({ method: 'GET', path: /\/changelog$/, status: 403, times: 5 });
    const refused = await run(['plan', '--drift', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('warning: who changed the 4 drifted assignment(s) is unknown: the Hierarchies changelog could not be read');
    const lines = refused.stdout.split('\n');
    const driftLine = lines.indexOf('Drift: 4 object(s) differ from the config — changed outside git.');
    expect(driftLine).toBeGreaterThan(0);
    expect(lines[driftLine + 1]).not.toMatch(/^ {2}~ /);
  });

  it('a drift-free account reads no changelog', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG(3));
    expect((await run(['apply', '--auto-approve'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
    sandbox.em.log.length = 0;
    expect((await run(['plan', '--drift', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
    expect(changelogReads()).toEqual([]);
    expect(hierarchyListings()).toEqual([]);
  });

  it('--adopt writes the live values into the config in place: only the drifted values change, and the next plan is clean', async () => {
    await driftedAccount(4);
    const file = join(sandbox.dir.path, 'downline.yaml');
    const before = readFileSync(file, 'utf8');
    const adopted = await run(['plan', '--adopt'], { cwd: sandbox.dir.path, env: env() });
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).toContain('Adopted the live values into downline.yaml (4)');
    expect(writes(sandbox.em)).toEqual([]);
    const patch = createTwoFilesPatch('a/downline.yaml', 'b/downline.yaml', before, readFileSync(file, 'utf8'), '', '', { context: 1 });
    expect(patch).toBe(`===================================================================
--- a/downline.yaml\t
+++ b/downline.yaml\t
@@ -23,3 +23,7 @@
     commissionLevel: Street   # the default street level
-    npns: ["17100001", "17100002", "17100003", "17100004"]
+    npns: ["17100001", "17100002", "17100004"]
+  - npn: "17100003"
+    carrier: Acme Life
+    product: Term Life
+    commissionLevel: Senior
   - npn: "17200001"           # the regional lead
@@ -28,3 +32,3 @@
     commissionLevel: Senior
-    status: APPROVED          # we own this status
+    status: PENDING_WITH_CARRIER          # we own this status
     statusPolicy: enforce
@@ -34,3 +38,3 @@
     commissionLevel: Street
-    upline: "17100001"
+    upline: "17100002"
 invites:
@@ -38,2 +42,2 @@
     contracts:
-      - { carrier: Acme Life, product: Whole Life, commissionLevel: Street, administrativeDivisions: [CA, NY] }
+      - { carrier: Acme Life, product: Whole Life, commissionLevel: Street, administrativeDivisions: [CA, NY, TX] }
`);
    const again = await run(['plan', '--drift', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('Drift');
  });

  it('--adopt of positions moved to the top and under someone by hand: the upline key goes or comes, and the config validates and plans clean', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG(4));
    expect((await run(['apply', '--auto-approve'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
    await editAs('Jane Admin', '17200002', 'Term Life', { uplineNpn: null });
    await editAs('Jane Admin', '17100004', 'Term Life', { uplineNpn: '17200001' });
    const adopted = await run(['plan', '--adopt'], { cwd: sandbox.dir.path, env: env() });
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stderr).toContain('Adopted the live values into downline.yaml (2)');
    const text = readFileSync(join(sandbox.dir.path, 'downline.yaml'), 'utf8');
    expect(text).not.toContain('upline: null');
    expect(text).toContain('    npns: ["17100001", "17100002", "17100003"]\n  - npn: "17100004"\n    carrier: Acme Life\n    product: Term Life\n    commissionLevel: Street\n    upline: "17200001"\n');
    const valid = await run(['validate'], { cwd: sandbox.dir.path, env: env() });
    expect(valid.code, valid.stdout + valid.stderr + text).toBe(0);
    expect((await run(['plan', '--detailed-exitcode'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
  });

  it('--adopt in a folder of files edits only the file that declares the drifted value', async () => {
    cpSync(example('split'), join(sandbox.dir.path, 'config'), { recursive: true });
    const read = (f: string) => readFileSync(join(sandbox.dir.path, 'config', f), 'utf8');
    expect((await run(['apply', '--auto-approve', 'config'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
    const producers = read('producers.yaml');
    const carriers = read('carriers.yaml');
    const level = sandbox.em.store.data.levels.find((l) => l.name === 'FE 110')!;
    expect((await call(sandbox.em, await token(sandbox.em), 'PUT', `/v1/customers/commissionLevels/${level.id}`, { firstYearValue: 105 })).status).toBe(200);
    const adopted = await run(['plan', '--adopt', 'config'], { cwd: sandbox.dir.path, env: env() });
    expect(adopted.stderr).toContain('Adopted the live values into config/carriers.yaml (1)');
    expect(read('producers.yaml')).toBe(producers);
    expect(read('carriers.yaml')).toBe(carriers.replace('{ name: FE 110, type: percent, firstYearValue: 110, level: 2 }', '{ name: FE 110, type: percent, firstYearValue: 105, level: 2 }'));
    expect((await run(['plan', '--detailed-exitcode', 'config'], { cwd: sandbox.dir.path, env: env() })).code).toBe(0);
  });
});
