import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, envFor, useSandbox } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

const config = (withInvite: boolean) => `version: 1
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
assignments:
  - { npn: "3000", carrier: Acme, product: Whole, commissionLevel: W1 }
${withInvite ? `invites:
  - producer: { npn: "3000", email: jane@example.com, firstName: Jane, lastName: Smith }
    contracts: [{ carrier: Acme, product: Term, commissionLevel: L1, administrativeDivisions: [CA] }]
` : ''}`;

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

describe('an invitation across a prune', () => {
  it('is sent again only with the plan saying so in words: at the prune, and at the new invitation', async () => {
    write(config(true));
    const first = await downline('plan');
    expect(first.stdout).toContain('      # will e-mail jane@example.com an invitation to 1 contract(s)\n');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(count(sandbox.em, 'POST', /\/invitation$/)).toBe(1);

    // The invitation leaves the config and pruning deletes its contract: the plan warns of the consequence.
    write(config(false));
    const prune = await downline('plan', '--no-color');
    expect(prune.stdout).toContain('  - assignment of 3000 on "Acme / Term"  (delete)');
    expect(prune.stdout).toContain('      # if this contract returns to the config as an invitation, producer 3000 is e-mailed again');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);

    // Restored: a new invitation, and the plan says the producer gets a second e-mail.
    write(config(true));
    const again = 'will e-mail jane@example.com again: previously contracted — producer 3000 holds 1 contract assignment(s) here (Acme / Whole); sending an invitation to 1 contract(s)';
    const text = await downline('plan');
    expect(text.stdout).toContain(`+ invitation of 3000\n      email: "jane@example.com"\n      contracts:\n        - Acme / Term / L1 (states: ["CA"])\n      # ${again}`);
    expect((await downline('plan', '--format', 'markdown')).stdout).toContain(`#     ${again}`);
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(count(sandbox.em, 'POST', /\/invitation$/)).toBe(2);
  });
});
