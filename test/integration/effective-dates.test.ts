import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

/** SPEC §12: changes that take effect on a date — scheduled before it, ordinary changes from it. */
const sandbox = useSandbox();

function config(o: { value: number; effective?: string; until?: string; npnEffective?: string }): string {
  return ['version: 1', 'carriers:', '  - name: Acme', '    products:', '      - name: Term', '        lineOfBusiness: Life', '        commissionLevels:',
    '          - name: Street', '            type: percent', `            firstYearValue: ${o.value}`, ...(o.effective ? [`            effective: ${o.effective}`] : []),
    'assignments:', '  - npn: "1001"', '    carrier: Acme', '    product: Term', '    commissionLevel: Street', '    status: APPROVED',
    ...(o.until ? [`    until: ${o.until}`, '    terminationReason: contract ended'] : []), ''].join('\n');
}

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (args: string[], env: Record<string, string> = {}) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em, env) });
const level = () => sandbox.em.store.data.levels.find((l) => l.name === 'Street')!;

describe('effective: and until:', () => {
  it('a commission level change effective 2027-01-01 is scheduled the day before (exit 0, nothing written) and applied on the day', async () => {
    write(config({ value: 80 }));
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    write(config({ value: 82.5, effective: '2027-01-01' }));
    sandbox.em.log.length = 0;

    const before = await downline(['plan', '--as-of', '2026-12-31', '--detailed-exitcode', '--no-color']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('Scheduled (not applied before their date)\n  scheduled 2027-01-01: commission level "Acme / Term / Street" — firstYearValue 80 → 82.5\n');
    expect(before.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 scheduled, 0 unmanaged.');
    const json = JSON.parse((await downline(['plan', '--as-of', '2026-12-31', '--format', 'json'])).stdout);
    expect(json.summary).toMatchObject({ update: 0, scheduled: 1 });
    expect(json.asOf).toBe('2026-12-31');
    expect(json.scheduled).toEqual([expect.objectContaining({ date: '2027-01-01', reason: 'effective', action: 'update', fields: [{ field: 'firstYearValue', before: 80, after: 82.5 }] })]);
    const md = (await downline(['plan', '--as-of', '2026-12-31', '--format', 'markdown'])).stdout;
    expect(md).toContain('**0 to create, 0 to update, 0 to delete, 1 scheduled**');
    expect(md).toContain('<details><summary>Scheduled: 1 change(s) waiting for their date (not applied now)</summary>');
    expect(md).toContain('No changes. The live account matches the config; 1 change(s) wait for their date (Scheduled, below).');
    // DOWNLINE_AS_OF is the same reference date.
    expect((await downline(['plan', '--detailed-exitcode'], { DOWNLINE_AS_OF: '2026-12-31' })).code).toBe(0);
    const early = await downline(['apply', '--auto-approve', '--as-of', '2026-12-31']);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('No changes. The live account matches the config. 1 change(s) wait for their date (Scheduled, above).');
    expect(writes(sandbox.em)).toEqual([]);
    expect(level().firstYearValue).toBe(80);

    const due = await downline(['plan', '--as-of', '2027-01-01', '--detailed-exitcode', '--no-color']);
    expect(due.code).toBe(2);
    expect(due.stdout).toContain('firstYearValue: 80 → 82.5');
    expect(due.stdout).not.toContain('Scheduled');
    expect((await downline(['plan', '--detailed-exitcode'], { DOWNLINE_AS_OF: '2027-01-01' })).code).toBe(2);
    const apply = await downline(['apply', '--auto-approve', '--as-of', '2027-01-01']);
    expect(apply.code).toBe(0);
    expect(count(sandbox.em, 'PUT', /commissionLevels/)).toBe(1);
    expect(writes(sandbox.em)).toHaveLength(1);
    expect(level().firstYearValue).toBe(82.5);
    expect((await downline(['plan', '--as-of', '2027-01-01', '--detailed-exitcode'])).code).toBe(0);
  });

  it('until: is a scheduled termination before its date and a termination (endDate = that date) from it', async () => {
    write(config({ value: 80 }));
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    write(config({ value: 80, until: '2027-02-01' }));
    sandbox.em.log.length = 0;
    const before = await downline(['plan', '--as-of', '2027-01-31', '--detailed-exitcode', '--no-color']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('  scheduled 2027-02-01: assignment of 1001 on "Acme / Term" terminated — status "APPROVED" → "TERMINATED", terminationReason (none) → "contract ended", endDate (none) → "2027-02-01" (until)');
    expect((await downline(['apply', '--auto-approve', '--as-of', '2027-01-31'])).code).toBe(0);
    expect(writes(sandbox.em)).toEqual([]);

    const due = await downline(['plan', '--as-of', '2027-02-01', '--detailed-exitcode', '--no-color']);
    expect(due.code).toBe(2);
    expect(due.stdout).toContain('x assignment of 1001 on "Acme / Term"');
    const apply = await downline(['apply', '--auto-approve', '--as-of', '2027-02-01']);
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em).map((w) => w.method)).toEqual(['PUT']);
    expect(sandbox.em.store.data.assignments[0]).toMatchObject({ endDate: '2027-02-01', terminationReason: 'contract ended' });
    expect((await downline(['plan', '--as-of', '2027-03-01', '--detailed-exitcode'])).code).toBe(0);
  });

  it('a saved plan records its --as-of, so apply --plan re-derives it for the same date', async () => {
    write(config({ value: 80 }));
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    write(config({ value: 82.5, effective: '2027-01-01' }));
    expect((await downline(['plan', '--as-of', '2027-01-01', '--out', 'plan.json'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(sandbox.dir.path, 'plan.json'), 'utf8'))).toMatchObject({ formatVersion: 1, asOf: '2027-01-01', summary: { update: 1 } });
    sandbox.em.log.length = 0;
    const wrongDay = await downline(['apply', '--plan', 'plan.json', '--as-of', '2026-12-31']);
    expect(wrongDay.code).toBe(1);
    expect(wrongDay.stderr).toContain('the plan was made --as-of 2027-01-01, not 2026-12-31');
    const apply = await downline(['apply', '--plan', 'plan.json']);
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em)).toHaveLength(1);
    expect(level().firstYearValue).toBe(82.5);
  });

  it('the daily job launches a carrier on its date with everything that waited for it: --only-due creates the product, level and contract too, and its drift check is clean', async () => {
    write(['version: 1', 'carriers:', '  - name: Future Life', '    effective: 2027-03-01', '    products:', '      - name: Whole', '        lineOfBusiness: Life',
      '        commissionLevels:', '          - { name: L1, type: percent, firstYearValue: 50 }',
      'assignments:', '  - npn: "700"', '    carrier: Future Life', '    product: Whole', '    commissionLevel: L1', ''].join('\n'));
    const ahead = await downline(['plan', '--as-of', '2027-02-28', '--no-color']);
    expect(ahead.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 4 scheduled, 0 unmanaged.');
    // The generated workflow's daily job, on the date: plan what came due, apply exactly that, then the drift check.
    const due = await downline(['plan', '--only-due', '--as-of', '2027-03-01', '--out', 'due.json', '--detailed-exitcode', '--no-color']);
    expect(due.code).toBe(2);
    expect(due.stdout).toContain('Plan: 4 to create, 0 to update, 0 to delete');
    sandbox.em.log.length = 0;
    const apply = await downline(['apply', '--plan', 'due.json', '--report', 'due-report.json']);
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em).map((w) => `${w.method} ${w.path.replace(/[0-9a-f-]{36}/g, ':id')}`)).toEqual([
      'POST /contracting/v1/customers/carriers', 'POST /contracting/v1/customers/carriers/:id/products', 'POST /contracting/v1/customers/:id/commissionLevels', 'POST /contracting/v1/customers/contractAssignments']);
    expect(sandbox.em.store.data.assignments.map((a) => a.npn)).toEqual(['700']);
    const drift = await downline(['plan', '--drift', '--as-of', '2027-03-01', '--detailed-exitcode']);
    expect(drift.code).toBe(0);
  });

  it('an --only-due plan says what it left out as not due, and keeps its scheduled, unmanaged and not-verified counts: never "No changes … matches"', async () => {
    const book = (o: { value: number; npns: string[]; later?: boolean }) => ['version: 1', 'carriers:', '  - name: Acme', '    uplineFirmName: Acme Holdings', '    products:', '      - name: Term',
      '        lineOfBusiness: Life', '        commissionLevels:', `          - { name: Street, type: percent, firstYearValue: ${o.value} }`,
      ...(o.later ? ['          - { name: Senior, type: percent, firstYearValue: 90, effective: 2027-06-01 }'] : []),
      'assignments:', `  - npns: [${o.npns.map((n) => `"${n}"`).join(', ')}]`, '    carrier: Acme', '    product: Term', '    commissionLevel: Street', ''].join('\n');
    write(book({ value: 80, npns: ['1001', '1002'] }));
    expect((await downline(['apply', '--auto-approve'])).code).toBe(0);
    // Undated drift (80 → 85), one scheduled create, one unmanaged contract (1002), one field not read back (uplineFirmName); nothing due.
    write(book({ value: 85, npns: ['1001'], later: true }));
    const text = await downline(['plan', '--only-due', '--as-of', '2026-12-01', '--detailed-exitcode', '--no-color']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 change(s) not due are left out (plan without --only-due to see them).\nPlan: 0 to create, 0 to update, 0 to delete, 1 not due, 1 scheduled, 1 unmanaged.\n');
    expect(text.stdout).toContain('scheduled 2027-06-01: commission level "Acme / Term / Senior" created');
    expect(text.stdout).toContain('  ? assignment of 1002 on "Acme / Term"');
    expect(text.stdout).toContain('  ? carrier "Acme": uplineFirmName');
    const md = (await downline(['plan', '--only-due', '--as-of', '2026-12-01', '--format', 'markdown'])).stdout;
    expect(md).toContain('**0 to create, 0 to update, 0 to delete, 1 not due, 1 scheduled**, 1 unmanaged, 3 unchanged, **1 not verified**.');
    expect(md).toContain('> [!NOTE]\n> 1 change(s) not due are left out (plan without --only-due to see them).');
    expect(md).not.toMatch(/No changes|matches/);
    const json = JSON.parse((await downline(['plan', '--only-due', '--as-of', '2026-12-01', '--format', 'json'])).stdout);
    expect(json.summary).toEqual({ create: 0, update: 0, delete: 0, terminate: 0, scheduled: 1, noop: 3, unmanaged: 1, unverified: 1, notDue: 1 });
    expect(json.scheduled).toHaveLength(1);
    expect(json.unmanaged).toHaveLength(1);
    // The apply of that plan writes nothing and says why, not that the account matches.
    sandbox.em.log.length = 0;
    expect((await downline(['plan', '--only-due', '--as-of', '2026-12-01', '--out', 'due.json'])).code).toBe(0);
    const apply = await downline(['apply', '--plan', 'due.json']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('1 change(s) not due are left out (plan without --only-due to see them).');
    expect(apply.stdout).not.toContain('matches the config');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('a product effective later schedules its levels too; --as-of that is not a date is an error', async () => {
    write(['version: 1', 'carriers:', '  - name: Acme', '    products:', '      - name: Term', '        lineOfBusiness: Life', '        effective: 2027-06-01',
      '        commissionLevels:', '          - { name: Street, type: percent }', ''].join('\n'));
    const plan = await downline(['plan', '--as-of', '2027-05-31', '--no-color']);
    expect(plan.stdout).toContain('scheduled 2027-06-01: product "Acme / Term" created');
    expect(plan.stdout).toContain('scheduled 2027-06-01: commission level "Acme / Term / Street" created');
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete, 2 scheduled, 0 unmanaged.');
    const bad = await downline(['plan', '--as-of', '2027-02-30']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--as-of "2027-02-30" is not a date: write YYYY-MM-DD (UTC), e.g. 2027-01-01');
    expect((await downline(['plan'], { DOWNLINE_AS_OF: 'tomorrow' })).stderr).toContain('DOWNLINE_AS_OF "tomorrow" is not a date');
  });
});
