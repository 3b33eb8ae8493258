import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();
const quickstart = example('quickstart');
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

describe('--target', () => {
  it('that matches nothing is an error naming the closest addresses, not "no changes"', async () => {
    // A hyphen where the config has an em dash: the classic near miss.
    const result = await downline('plan', quickstart, '--target', 'product.Acme Insurance Company/Term Life - Standard', '--detailed-exitcode');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error: --target product.Acme Insurance Company/Term Life - Standard matches no object in the config');
    expect(result.stdout).toContain('closest addresses: product.Acme Insurance Company/Term Life — Standard, ');
    expect(result.stdout).not.toContain('Plan: ');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('plan --verbose shows every object\'s address in the --target syntax, ready to paste', async () => {
    const verbose = await downline('plan', quickstart, '--verbose');
    expect(verbose.stdout).toContain("      # --target 'carrier.Acme Insurance Company'");
    expect(verbose.stdout).toContain('      # --target invite.15645556');
    const line = verbose.stdout.split('\n').find((l) => l.includes("--target 'product."))!;
    const address = /--target '(.*)'$/.exec(line)![1];
    const targeted = await downline('plan', quickstart, '--target', address);
    expect(targeted.code).toBe(0);
    expect(targeted.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete, 0 unmanaged.');
  });
});

describe('what a reviewer reads', () => {
  it('an invitation shows the states and upline of each contract (text and markdown)', async () => {
    const text = await downline('plan', quickstart);
    expect(text.stdout).toContain([
      '  + invitation of 15645556  (under new commission level "Acme Insurance Company / Term Life — Standard / Level 1 — 55%")',
      '      email: "jane@example.com"',
      '      contracts:',
      '        - Acme Insurance Company / Term Life — Standard / Level 1 — 55% (states: ["CA", "CO"], upline: "15645555")',
    ].join('\n'));
    const md = await downline('plan', quickstart, '--format', 'markdown');
    expect(md.stdout).toContain('+       - Acme Insurance Company / Term Life — Standard / Level 1 — 55% (states: ["CA", "CO"], upline: "15645555")');
  });

  it('a Turris invitation shows its contract template or its pre-contract review', async () => {
    const text = (await downline('plan', example('agency'))).stdout;
    const entry = (key: string) => text.slice(text.indexOf(`+ Turris invitation "${key}"`)).split('\n\n')[0];
    expect(entry('LSB-001')).toContain('contractTemplate: "Wholesale Broker Agreement"');
    expect(entry('ana@gulfcoast-agency.example')).toContain('preContractReview: true');
  });

  it('a delete shows the fields of the object that goes', async () => {
    const config = (levels: string) => `version: 1\nprune: { commissionLevels: true }\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels:\n${levels}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config('          - { name: L1, type: percent, firstYearValue: 55 }\n          - { name: L2, type: dollar, firstYearValue: 120, level: 2 }\n'));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config('          - { name: L1, type: percent, firstYearValue: 55 }\n'));
    const text = await downline('plan', '--no-color');
    expect(text.stdout).toContain(['  - commission level "Acme / Term / L2"  (delete)', '      type: "Dollar"', '      firstYearValue: 120', '      level: 2'].join('\n'));
    const md = await downline('plan', '--format', 'markdown');
    expect(md.stdout).toContain(['- commission level "Acme / Term / L2"', '-     type: "Dollar"', '-     firstYearValue: 120'].join('\n'));
  });

  it('an errored plan prints its errors apart from the plan and no "Plan: N to create" summary', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Lief\n      - name: Whole\n        lineOfBusiness: Life\n');
    const text = await downline('plan', '--detailed-exitcode');
    expect(text.code).toBe(1);
    expect(text.stdout).toBe([
      'downline.yaml:6:25: error: unknown line of business "Lief" (did you mean "Life"?)',
      '',
      'Plan failed: 1 error. Nothing can be applied; fix it and run plan again.',
      '',
    ].join('\n'));
    const md = await downline('plan', '--format', 'markdown');
    expect(md.stdout).toContain('**Plan failed: 1 error.');
    // Prose in the comment is markdown-escaped (live names are data); GitHub renders it as written.
    expect(md.stdout).toContain('- `downline.yaml:6:25` unknown line of business "Lief" \\(did you mean "Life"?\\)');
    expect(md.stdout).not.toMatch(/to create|No changes/);
  });
});

describe('assignment positions in the language', () => {
  it('an assignment declares its states, upline and userDefined: created with them, states compared afterwards', async () => {
    const config = (states: string) => `version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels: [{ name: L1, type: percent }]\nassignments:\n  - { npn: "1000", carrier: Acme, product: Term, commissionLevel: L1 }\n  - { npn: "2000", carrier: Acme, product: Term, commissionLevel: L1, administrativeDivisions: ${states}, upline: "1000", userDefined1: sub-7 }\n`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config('[CA]'));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(sandbox.em.store.data.assignments.find((a) => a.npn === '2000')).toMatchObject({ administrativeDivisions: ['CA'], uplineNpn: '1000', userDefined1: 'sub-7' });
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config('[CA, TX]'));
    const plan = await downline('plan', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ assignment of 2000 on "Acme / Term"\n      administrativeDivisions: +[TX]');
    expect(plan.stdout).toContain('  ? assignment of 2000 on "Acme / Term": userDefined1');
  });
});
