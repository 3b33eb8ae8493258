import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, count, envFor, token, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

/** SPEC §11: terminate, don't delete — against the emulator, by the request log and the state. */
const sandbox = useSandbox();

const HEAD = ['version: 1', 'carriers:', '  - name: Acme', '    products:', '      - name: Term', '        lineOfBusiness: Life',
  '        commissionLevels:', '          - { name: Street, type: percent, firstYearValue: 80 }'];

function config(npns: string[], extra: string[] = []): string {
  return [...HEAD, ...extra, 'assignments:', `  - npns: [${npns.map((n) => `"${n}"`).join(', ')}]`, '    carrier: Acme', '    product: Term', '    commissionLevel: Street', '    status: APPROVED', ''].join('\n');
}

function one(npn: string, lines: string[]): string {
  return [...HEAD, 'assignments:', `  - npn: "${npn}"`, '    carrier: Acme', '    product: Term', '    commissionLevel: Street', ...lines.map((l) => `    ${l}`), ''].join('\n');
}

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const readJson = (name: string) => JSON.parse(readFileSync(join(sandbox.dir.path, name), 'utf8'));
const liveOf = (npn: string) => sandbox.em.store.data.assignments.find((x) => x.npn === npn)!;

/** The organization's hierarchy nodes at a date, by NPN: what commissions reconciliation reads. */
async function hierarchyAt(date: string): Promise<Map<string, { active: boolean }>> {
  const bearer = await token(sandbox.em);
  const carrier = sandbox.em.store.data.carriers[0];
  const answer = await call(sandbox.em, bearer, 'GET', `/v1/organizations/${carrier.id}/hierarchies?date=${date}`);
  expect(answer.status).toBe(200);
  return new Map((answer.body as Array<{ npn: string; active: boolean }>).map((n) => [n.npn, n]));
}

describe('prune: { assignments: terminate }', () => {
  const five = ['1001', '1002', '1003', '1004', '1005'];
  const prune = ['prune: { assignments: terminate, terminationReason: left the agency }'];

  it('terminates the 3 producers removed from the config: 3 PUTs, 0 DELETEs; the hierarchy keeps them until the end date; the next plan is clean', async () => {
    write(config(five));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(config(five.slice(0, 2), prune));
    sandbox.em.log.length = 0;

    const plan = await downline('plan', '--as-of', '2027-03-01', '--no-color');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('  x assignment of 1003 on "Acme / Term"  (terminate: ended, kept in the hierarchy history)');
    expect(plan.stdout).toContain('      status: "APPROVED" → "TERMINATED"');
    expect(plan.stdout).toContain('      terminationReason: (none) → "left the agency"');
    expect(plan.stdout).toContain('      endDate: (none) → "2027-03-01"');
    expect(plan.stdout).toContain('Terminations: 3 contract assignment(s) will be ended (status, end date), not deleted.');
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 3 to terminate, 0 unmanaged.');

    const md = await downline('plan', '--as-of', '2027-03-01', '--format', 'markdown');
    expect(md.stdout).toContain('**0 to create, 0 to update, 0 to delete, 3 to terminate**');
    expect(md.stdout).toContain('This plan **terminates 3 contract assignment(s)**');
    expect(md.stdout).toContain('| kind | create | update | delete | terminate |');
    expect(md.stdout).toContain('| Contract assignments | 0 | 0 | 0 | 3 |');
    expect(md.stdout).toContain('x assignment of 1004 on "Acme / Term"\n-     (terminate: ended, kept in the hierarchy history)\n-     status: "APPROVED" → "TERMINATED"');

    const json = JSON.parse((await downline('plan', '--as-of', '2027-03-01', '--format', 'json')).stdout);
    expect(json.formatVersion).toBe(1);
    expect(json.summary).toMatchObject({ terminate: 3, delete: 0, scheduled: 0 });
    const t = json.changes.filter((c: { action: string }) => c.action === 'terminate');
    expect(t).toHaveLength(3);
    for (const c of t) {
      expect(c.before).not.toBeNull();
      expect(c.after).toMatchObject({ status: 'TERMINATED', terminationReason: 'left the agency', endDate: '2027-03-01' });
      expect(c.fields.length).toBeGreaterThan(0);
      expect(c.operation).toMatchObject({ method: 'PUT', body: { endDate: '2027-03-01', terminationReason: 'left the agency' } });
    }
    expect(writes(sandbox.em)).toEqual([]);

    const apply = await downline('apply', '--auto-approve', '--as-of', '2027-03-01', '--report', 'report.json');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 0 created, 0 updated, 0 deleted, 3 terminated, 0 failed, 0 skipped.');
    expect(count(sandbox.em, 'PUT', /contractAssignments\/[^/]+$/)).toBe(3);
    expect(count(sandbox.em, 'DELETE', /./)).toBe(0);
    expect(writes(sandbox.em)).toHaveLength(3);
    const report = readJson('report.json');
    expect(report.summary).toMatchObject({ terminated: 3, deleted: 0 });
    expect(report.results.find((r: { address: string }) => r.address === 'assignment.1003@Acme/Term')).toMatchObject({ action: 'terminate', outcome: 'succeeded', terminated: { status: 'APPROVED', commissionLevel: 'Street' } });
    expect(sandbox.em.store.data.assignments).toHaveLength(5);

    const before = await hierarchyAt('2027-02-28');
    const after = await hierarchyAt('2027-03-01');
    for (const npn of ['1003', '1004', '1005']) {
      expect(before.get(npn)?.active).toBe(true);
      expect(after.get(npn)?.active).toBe(false);
    }
    expect(after.get('1001')?.active).toBe(true);

    sandbox.em.log.length = 0;
    const next = await downline('plan', '--detailed-exitcode', '--as-of', '2027-03-01');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 3 unmanaged.');
    expect((await downline('apply', '--auto-approve')).stdout).toContain('No changes.');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('a saved plan with terminations is shown offline and applied by apply --plan, re-derived for its date', async () => {
    write(config(five));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(config(five.slice(0, 4), prune));
    expect((await downline('plan', '--as-of', '2027-03-01', '--out', 'plan.json')).code).toBe(0);
    const shown = await downline('show', 'plan.json', '--no-color');
    expect(shown.stdout).toContain('  x assignment of 1005 on "Acme / Term"  (terminate: ended, kept in the hierarchy history)');
    sandbox.em.log.length = 0;
    const apply = await downline('apply', '--plan', 'plan.json');
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em).map((w) => w.method)).toEqual(['PUT']);
    expect(liveOf('1005')).toMatchObject({ endDate: '2027-03-01', terminationReason: 'left the agency' });
  });

  it('a pruned position under an upline shows as terminated in the plan\'s Hierarchy section, not as removed', async () => {
    const lines = (npns: string[]) => [...HEAD, ...prune, 'assignments:', '  - { npn: "1001", carrier: Acme, product: Term, commissionLevel: Street, status: APPROVED }',
      ...npns.map((n) => `  - { npn: "${n}", carrier: Acme, product: Term, commissionLevel: Street, status: APPROVED, upline: "1001" }`), ''].join('\n');
    write(lines(['1002', '1003']).replace(`${prune[0]}\n`, ''));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(lines(['1002']));
    const plan = await downline('plan', '--no-color');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('terminated 1003 (under 1001)');
    expect(plan.stdout).not.toContain('removed 1003');
  });

  it('over --max-deletes it blocks with exit 3 and zero writes: terminations count like deletes', async () => {
    write(config(five));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(config(five.slice(0, 2), prune));
    sandbox.em.log.length = 0;
    const blocked = await downline('apply', '--auto-approve', '--max-deletes', '2');
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('3 terminations exceed --max-deletes 2');
    expect(writes(sandbox.em)).toEqual([]);
    expect((await downline('plan', '--detailed-exitcode', '--max-deletes', '2')).code).toBe(3);
  });
});

describe('terminal statuses (SPEC §11)', () => {
  it('status: TERMINATED terminates the live assignment with its reason and end date whatever the policy; a terminated one stays terminated across three applies of a non-terminal entry', async () => {
    write(one('1001', ['status: APPROVED']));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(one('1001', ['status: TERMINATED', 'terminationReason: license lapsed', 'endDate: 2026-12-31']));
    sandbox.em.log.length = 0;
    const end = await downline('apply', '--auto-approve');
    expect(end.code).toBe(0);
    expect(writes(sandbox.em).map((w) => w.method)).toEqual(['PUT']);
    const live = liveOf('1001');
    expect(live).toMatchObject({ terminationReason: 'license lapsed', endDate: '2026-12-31' });
    expect(sandbox.em.store.data.assignments).toHaveLength(1);

    // Already terminal: no change, even for another terminal name.
    write(one('1001', ['status: RELEASED']));
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);

    // The config still lists it as APPROVED with the default policy (and a new level value): reported, never revived.
    write(one('1001', ['status: APPROVED', 'administrativeDivisions: [CA]']));
    sandbox.em.log.length = 0;
    for (let i = 0; i < 3; i++) {
      const again = await downline('apply', '--auto-approve', '--verbose');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('No changes.');
      expect(again.stdout).toContain('terminated (TERMINATED, ended 2026-12-31): not revived — set a non-terminal status with statusPolicy: enforce to re-activate it');
    }
    expect(writes(sandbox.em)).toEqual([]);
    expect(sandbox.em.store.data.assignments).toHaveLength(1);

    // Only a non-terminal status with statusPolicy: enforce re-activates it.
    write(one('1001', ['status: APPROVED', 'statusPolicy: enforce']));
    const revive = await downline('apply', '--auto-approve');
    expect(revive.code).toBe(0);
    expect(writes(sandbox.em).map((w) => w.method)).toEqual(['PUT']);
    expect(sandbox.em.store.data.assignments).toHaveLength(1);
  });

  it('the emulator takes terminationReason and endDate on a single and a bulk PUT, and refuses a day that does not exist', async () => {
    write(one('1001', ['status: APPROVED']));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const bearer = await token(sandbox.em);
    const id = liveOf('1001').id;
    const bad = await call(sandbox.em, bearer, 'PUT', `/v1/customers/contractAssignments/${id}`, { id, endDate: '2027-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.messages).toEqual(['endDate must be formatted yyyy-MM-dd.']);
    const bulk = await call(sandbox.em, bearer, 'PUT', '/v1/customers/contractAssignments/bulk', { contractAssignments: [{ id, terminationReason: 'moved away', endDate: '2027-04-30' }] });
    expect(bulk.status).toBe(200);
    expect((await call(sandbox.em, bearer, 'GET', `/v1/customers/contractAssignments/${id}`)).body).toMatchObject({ terminationReason: 'moved away', endDate: '2027-04-30' });
  });

  it('a declared terminal status with no live contract creates nothing, and says so', async () => {
    write(one('1009', ['status: TERMINATED']));
    sandbox.em.log.length = 0;
    const result = await downline('apply', '--auto-approve');
    expect(result.code).toBe(0);
    expect(result.stderr + result.stdout).toContain('producer 1009 on "Acme / Term" is declared TERMINATED but holds no contract assignment there: nothing to terminate, and none is created');
    expect(writes(sandbox.em).map((w) => w.path).filter((p) => p.includes('contractAssignments'))).toEqual([]);
    expect(sandbox.em.store.data.assignments).toHaveLength(0);
  });

  it('"moved on in the contracting workflow" counts only a live status that differs from the declared one: not contracts the config ends (terminal status, until:) that are ended', async () => {
    const entry = (npn: string, lines: string[]) => [`  - npn: "${npn}"`, '    carrier: Acme', '    product: Term', '    commissionLevel: Street', ...lines.map((l) => `    ${l}`)];
    const book = (ends: string[][]) => [...HEAD, 'assignments:', ...entry('1001', ends[0]), ...entry('1002', ends[1]), ...entry('1003', ['status: APPROVED']), ''].join('\n');
    write(book([['status: APPROVED'], ['status: APPROVED']]));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(book([['status: TERMINATED'], ['status: APPROVED', 'until: 2026-01-01']]));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect([liveOf('1001'), liveOf('1002')].map((a) => a.endDate)).toEqual([expect.any(String), '2026-01-01']);
    const quiet = await downline('plan', '--detailed-exitcode', '--no-color');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('moved on');
    // 1003 moves on in the workflow: the one assignment whose live status differs from its entry.
    const bearer = await token(sandbox.em);
    const statuses = (await call(sandbox.em, bearer, 'GET', '/v1/assignmentStatuses?size=100')).body._embedded.assignmentStatuses;
    const pending = statuses.find((s: { name: string }) => s.name === 'PENDING_WITH_CARRIER').id;
    await call(sandbox.em, bearer, 'PUT', `/v1/customers/contractAssignments/${liveOf('1003').id}`, { assignmentStatusId: pending });
    const moved = await downline('plan', '--detailed-exitcode', '--no-color');
    expect(moved.code).toBe(0);
    expect(moved.stdout.split('\n')).toContain('1 contract assignment(s) moved on in the contracting workflow; their status is not reverted (--verbose lists them).');
    const verbose = await downline('plan', '--verbose', '--no-color');
    expect(verbose.stdout).toContain('# already TERMINATED: left as it is');
    expect(verbose.stdout).toContain('# status is PENDING_WITH_CARRIER (workflow progress since APPROVED; not reverted');
  });

  it('rejects endDate that is not a real date, an ending without a terminal status, and a non-terminal prune.terminationStatus, at file:line:col', async () => {
    write([...one('1001', ['status: TERMINATED', 'endDate: 2027-02-30']).split('\n').slice(0, -1),
      '  - npn: "1002"', '    carrier: Acme', '    product: Term', '    commissionLevel: Street', '    status: APPROVED', '    terminationReason: moved', '    effective: 2027-1-1',
      'prune: { assignments: terminate, terminationStatus: APPROVED }', ''].join('\n'));
    const result = await downline('validate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('downline.yaml:15:14: error: endDate "2027-02-30" is not a real date');
    expect(result.stderr).toContain('downline.yaml:21:24: error: terminationReason is sent only with a terminal status, but status is APPROVED');
    expect(result.stderr).toContain('downline.yaml:22:16: error: effective "2027-1-1" is not a date in the form YYYY-MM-DD');
    expect(result.stderr).toContain('downline.yaml:23:53: error: prune.terminationStatus "APPROVED" is not a terminal status');
  });
});
