import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

/** Carrier, product and an invited contract whose interesting fields the API does not read back. */
const config = (o: { firm: string; states: string; upline: string }) => `version: 1
agency:
  organizationId: org-1
  inviter: { firstName: Admin, lastName: User, email: admin@agency.example }
carriers:
  - name: Acme
    uplineFirmName: ${o.firm}
    userDefined1: acme-001
    products:
      - name: Term
        lineOfBusiness: Life
        administrativeDivisions: ${o.states}
        commissionLevels:
          - { name: L1, type: percent, firstYearValue: 50 }
assignments:
  - { npn: "1000", carrier: Acme, product: Term, commissionLevel: L1 }
  - { npn: "2000", carrier: Acme, product: Term, commissionLevel: L1 }
invites:
  - producer: { npn: "3000", email: jane@example.com, firstName: Jane, lastName: Smith }
    contracts:
      - { carrier: Acme, product: Term, commissionLevel: L1, uplineNpn: "${o.upline}" }
`;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: sandbox.dir.path, encoding: 'utf8' });
const commit = (text: string, message: string) => {
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
  git('add', 'downline.yaml');
  git('commit', '-q', '-m', message);
};
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

describe('declared fields the API does not read back', () => {
  beforeEach(async () => {
    git('init', '-q');
    commit(config({ firm: 'Old Holdings', states: '[CA]', upline: '1000' }), 'base');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    // The pull request: a new upline firm and a new state (an invited contract's upline is read back, so it is compared).
    commit(config({ firm: 'New Holdings', states: '[CA, TX]', upline: '1000' }), 'edit');
    sandbox.em.log.length = 0;
  });

  it('without --since, are named per object as not verified, and no format claims the account matches', async () => {
    const text = await downline('plan', '--detailed-exitcode');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain([
      'Not verified (declared, but the API does not read these fields back)',
      '  ? carrier "Acme": uplineFirmName, userDefined1',
      '  ? product "Acme / Term": administrativeDivisions',
    ].join('\n'));
    const md = (await downline('plan', '--format', 'markdown')).stdout;
    expect(md).toContain('**2 not verified**');
    expect(md).toContain('- carrier "Acme": `uplineFirmName`, `userDefined1`');
    expect(md).not.toMatch(/matches|No changes/);
    const json = JSON.parse((await downline('plan', '--format', 'json')).stdout);
    expect(json.summary.unverified).toBe(2);
    expect(json.changes.find((c: { address: { key: string } }) => c.address.key === 'Acme').unverified).toEqual(['uplineFirmName', 'userDefined1']);
  });

  it('--since REF plans an update for the fields edited since REF, and apply writes exactly those', async () => {
    const plan = await downline('plan', '--since', 'HEAD~1', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ carrier "Acme"\n      uplineFirmName: "Old Holdings" → "New Holdings"  (changed since HEAD~1; the API does not read it back)');
    expect(plan.stdout).toContain('~ product "Acme / Term"\n      administrativeDivisions: +[TX]  (changed since HEAD~1');
    // Unchanged since the base: still honestly unverified.
    expect(plan.stdout).toContain('  ? carrier "Acme": userDefined1');
    expect(plan.stdout).toContain('Plan: 0 to create, 2 to update, 0 to delete, 0 unmanaged.');

    const apply = await downline('apply', '--auto-approve', '--since', 'HEAD~1');
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em).map((w) => `${w.method} ${w.path.replace(/[0-9a-f-]{36}/g, ':id')}`).sort()).toEqual([
      'PUT /contracting/v1/customers/carriers/:id', 'PUT /contracting/v1/customers/products/:id',
    ]);
    const data = sandbox.em.store.data;
    expect(data.carriers[0].uplineFirmName).toBe('New Holdings');
    expect(data.products[0].administrativeDivisions).toEqual(['CA', 'TX']);
    // Against its own commit, nothing was edited: nothing to write.
    expect((await downline('plan', '--since', 'HEAD', '--detailed-exitcode')).code).toBe(0);
  });

  it('a saved plan records --since: apply --plan re-derives it the same way and writes the edited fields', async () => {
    expect((await downline('plan', '--since', 'HEAD~1', '--out', 'plan.json', '--detailed-exitcode')).code).toBe(2);
    expect(JSON.parse(readFileSync(join(sandbox.dir.path, 'plan.json'), 'utf8')).since).toBe('HEAD~1');
    sandbox.em.log.length = 0;
    const apply = await downline('apply', '--plan', 'plan.json');
    expect(apply.code).toBe(0);
    expect(writes(sandbox.em).map((w) => `${w.method} ${w.path.replace(/[0-9a-f-]{36}/g, ':id')}`).sort()).toEqual([
      'PUT /contracting/v1/customers/carriers/:id', 'PUT /contracting/v1/customers/products/:id',
    ]);
    expect(sandbox.em.store.data.carriers[0].uplineFirmName).toBe('New Holdings');
  });

  it('--push-unverified writes every such field', async () => {
    const plan = await downline('plan', '--push-unverified', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('userDefined1: (not read back) → "acme-001"  (not read back by the API; written by --push-unverified)');
    expect(plan.stdout).not.toContain('Not verified');
    expect((await downline('apply', '--auto-approve', '--push-unverified')).code).toBe(0);
    expect(sandbox.em.store.data.carriers[0].uplineFirmName).toBe('New Holdings');
  });

  it('a --since that names no commit is an error that says how to fix it', async () => {
    const result = await downline('plan', '--since', 'no-such-branch');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--since no-such-branch: not a commit of the git repository');
    expect(result.stderr).toContain('fetch-depth: 0');
  });
});
