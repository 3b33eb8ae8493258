import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, envFor, useSandbox } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

const config = (withInvite: boolean, alsoOnWhole = false) => `version: 1
prune: { assignments: true }
agency:
  organizationId: org-1
  inviter: { firstName: Admin, lastName: User, email: admin@agency.example }
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels: [{ name: L1, type: percent }]
      - name: Whole
        lineOfBusiness: Life
        commissionLevels: [{ name: W1, type: percent }]
${alsoOnWhole ? `assignments:
  - { npn: "3000", carrier: Acme, product: Whole, commissionLevel: W1 }
` : ''}${withInvite ? `invites:
  - producer: { npn: "3000", email: jane@example.com, firstName: Jane, lastName: Smith }
    contracts: [{ carrier: Acme, product: Term, commissionLevel: L1, administrativeDivisions: [CA] }]
` : ''}`;

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

const invitations = () => count(sandbox.em, 'POST', /\/invitation$/);

/** Invite, then drop the invitation from the config and prune its contract. */
async function inviteThenPrune(alsoOnWhole: boolean): Promise<void> {
  write(config(true, alsoOnWhole));
  expect((await downline('plan')).stdout).toContain('      # will e-mail jane@example.com an invitation to 1 contract(s)\n');
  expect((await downline('apply', '--auto-approve')).code).toBe(0);
  expect(invitations()).toBe(1);
  write(config(false, alsoOnWhole));
  const prune = await downline('plan', '--no-color');
  expect(prune.stdout).toContain('  - assignment of 3000 on "Acme / Term"  (delete)');
  expect(prune.stdout).toContain('      # if this contract returns to the config as an invitation, producer 3000 is invited (e-mailed) again');
  expect((await downline('apply', '--auto-approve')).code).toBe(0);
  expect(sandbox.em.store.data.assignments.filter((a) => a.npn === '3000')).toHaveLength(alsoOnWhole ? 1 : 0);
}

describe('an invitation across a prune', () => {
  it('restored, it is sent again with the plan saying so in words: the changelog still shows the pruned contract', async () => {
    await inviteThenPrune(false);
    write(config(true));
    const text = await downline('plan');
    expect(text.stdout).toMatch(new RegExp([
      '\\+ invitation of 3000\\n      email: "jane@example.com"\\n      contracts:\\n        - Acme / Term / L1 \\(states: \\["CA"\\]\\)\\n',
      '      # will e-mail jane@example\\.com again: previously invited — "Jane Smith" held contract CA-\\d+ on Acme / Term ',
      '\\(Hierarchies changelog, last changed \\d{4}-\\d\\d-\\d\\d\\); sending an invitation to 1 contract\\(s\\)\\n',
    ].join('')));
    expect((await downline('plan', '--format', 'markdown')).stdout).toContain('#     will e-mail jane@example.com again: previously invited — "Jane Smith" held contract CA-');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(invitations()).toBe(2);
  });

  it('says "again" from the producer\'s live contracts too', async () => {
    await inviteThenPrune(true);
    write(config(true, true));
    const text = await downline('plan');
    expect(text.stdout).toContain('# will e-mail jane@example.com again: previously contracted — producer 3000 holds 1 contract assignment(s) here (Acme / Whole); previously invited — "Jane Smith" held contract CA-');
  });

  it('reads the changelog only when the plan would send an invitation', async () => {
    write(config(true));
    await downline('apply', '--auto-approve');
    sandbox.em.log.length = 0;
    await downline('plan');
    expect(sandbox.em.log.filter((r) => r.path.includes('Hierarch'))).toEqual([]);
  });
});
