import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { main } from '../../src/main.js';
import { example, run, tempDir } from '../helpers/run.js';

const sandbox = useSandbox();
const env = () => envFor(sandbox.em);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: env() });
const file = (name: string) => join(sandbox.dir.path, name);
const write = (name: string, text: string) => writeFileSync(file(name), text);
const readJson = (name: string) => JSON.parse(readFileSync(file(name), 'utf8'));

const AGENCY = 'agency: { organizationId: 00000000-0000-4000-8000-000000000001, inviter: { firstName: A, lastName: B, email: ops@agency.example } }\n';

/** The account before: two products (one to be pruned), three levels on Term, three assignments. */
const BEFORE = `version: 1
${AGENCY}carriers:
  - name: Acme
    naic: "12345"
    products:
      - name: Term
        lineOfBusiness: Life
        annualization: Monthly
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
          - { name: Agency, type: percent, firstYearValue: 95, level: 2 }
          - { name: Old, type: percent, firstYearValue: 50, level: 3 }
      - name: Legacy
        lineOfBusiness: Life
        commissionLevels: [{ name: L, type: percent, firstYearValue: 10, level: 1 }]
assignments:
  - { npns: ["10000001", "10000002"], carrier: Acme, product: Term, commissionLevel: Street, status: APPROVED }
  - { npn: "10000003", carrier: Acme, product: Legacy, commissionLevel: L, status: APPROVED }
`;

/** Every kind and every action it has: create, update, delete (pruned). */
const AFTER = `version: 1
${AGENCY}prune: { products: true, commissionLevels: true, assignments: true }
carriers:
  - name: Acme
    naic: "54321"
    products:
      - name: Term
        lineOfBusiness: Life
        annualization: Annual
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 82.5, level: 1 }
          - { name: Agency, type: percent, firstYearValue: 95, level: 2 }
          - { name: Top, type: percent, firstYearValue: 99, level: 4 }
      - name: Whole
        lineOfBusiness: Life
        commissionLevels: [{ name: W, type: percent, firstYearValue: 70, level: 1 }]
  - name: Beta Mutual
    naic: "22222"
assignments:
  - { npn: "10000001", carrier: Acme, product: Term, commissionLevel: Agency, status: APPROVED }
  - { npn: "10000004", carrier: Acme, product: Whole, commissionLevel: W, status: APPROVED }
invites:
  - producer: { npn: "10000005", email: new@agency.example, firstName: New, lastName: Producer }
    contracts: [{ carrier: Acme, product: Term, commissionLevel: Street, administrativeDivisions: [TX] }]
turris:
  invites:
    - downstreamEntityName: Gulf Coast Agency
      category: agency
      contact: { firstName: Ana, lastName: Ruiz, email: ana@gulf.example }
      preContractReview: true
`;

/** The account of BEFORE, then a saved plan to AFTER. */
async function savedPlanToAfter(): Promise<void> {
  write('downline.yaml', BEFORE);
  expect((await downline('apply', '--auto-approve')).code).toBe(0);
  write('downline.yaml', AFTER);
  expect((await downline('plan', '--out', 'plan.json', '--detailed-exitcode')).code).toBe(2);
  sandbox.em.log.length = 0;
}

describe('apply --plan: the saved plan is re-derived and executed only when identical', () => {
  it('applies a saved plan with a create, an update and a delete of every kind that has them', async () => {
    await savedPlanToAfter();
    const actions = (readJson('plan.json').changes as Array<{ address: { kind: string }; action: string }>).map((c) => `${c.address.kind}:${c.action}`);
    for (const expected of ['carrier:create', 'carrier:update', 'product:create', 'product:update', 'product:delete', 'commissionLevel:create', 'commissionLevel:update',
      'commissionLevel:delete', 'assignment:create', 'assignment:update', 'assignment:delete', 'invite:create', 'turrisInvite:create']) expect(actions).toContain(expected);
    const result = await downline('apply', '--plan', 'plan.json', '--report', 'report.json');
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Apply complete: \d+ created, 4 updated, 5 deleted, 0 failed, 0 skipped\./);
    expect(readJson('report.json')).toMatchObject({ status: 'applied', summary: { failed: 0, skipped: 0, updated: 4, deleted: 5 } });
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('refuses a plan whose lookups failed, though it was saved: exit 1, zero writes', async () => {
    write('downline.yaml', `version: 1\ncarriers:\n  - name: Acme\n    products:\n      - { name: Term, lineOfBusiness: Life, annualization: Montly }\n`);
    const plan = await downline('plan', '--out', 'plan.json');
    expect(plan.code).toBe(1);
    expect(readJson('plan.json').diagnostics[0]).toMatchObject({ severity: 'error' });
    sandbox.em.log.length = 0;
    const result = await downline('apply', '--plan', 'plan.json', '--report', 'report.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('A plan with errors is never executable');
    expect(result.stderr).toMatch(/the plan has an error: .*Montly/);
    expect(sandbox.em.log).toEqual([]);
    expect(readJson('report.json')).toMatchObject({ status: 'refused', results: [] });
  });

  // A hand-edited plan: each edit is refused before any request that writes, naming the change.
  const attacks: Array<[string, (doc: any) => void, RegExp]> = [
    ['an absolute URL', (doc) => (update(doc).operation.path = 'https://attacker.example/collect'), /commission level "Acme \/ Term \/ Street" differs from the saved plan in operation/],
    ['a path out of the API', (doc) => (update(doc).operation.path = '/../../oauth2/token'), /commission level "Acme \/ Term \/ Street" differs from the saved plan in operation/],
    ['a DELETE under an "update" label', (doc) => Object.assign(update(doc).operation, { method: 'DELETE', batch: undefined, body: undefined }), /differs from the saved plan in operation/],
    ['a DELETE hidden in a noop', (doc) => (doc.changes.find((c: any) => c.action === 'noop').operation = { api: 'agentsync', method: 'DELETE', path: `/v1/customers/products/${sandbox.em.store.data.products[0].id}`, refs: [] }),
      /commission level "Acme \/ Term \/ Agency" differs from the saved plan in operation/],
    ['an injected change', (doc) => doc.changes.push({ ...update(doc), address: { kind: 'commissionLevel', key: 'Acme/Term/Injected' }, identity: { carrier: 'Acme', product: 'Term', commissionLevel: 'Injected' } }),
      /commission level "Acme \/ Term \/ Injected" is in the saved plan \(update\) but the config and the account no longer yield it/],
  ];
  const update = (doc: any) => doc.changes.find((c: any) => c.action === 'update' && c.address.key === 'Acme/Term/Street');

  it.each(attacks)('refuses a hand-edited plan with %s: exit 1, zero writes', async (_name, edit, message) => {
    await savedPlanToAfter();
    const doc = readJson('plan.json');
    edit(doc);
    write('plan.json', JSON.stringify(doc));
    const result = await downline('apply', '--plan', 'plan.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('nothing was written');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('re-derives the plan from the recorded config paths: apply --plan FILE alone works from another directory of the checkout', async () => {
    execFileSync('git', ['init', '-q'], { cwd: sandbox.dir.path });
    mkdirSync(file('config'));
    mkdirSync(file('sub'));
    writeFileSync(file('config/downline.yaml'), BEFORE);
    expect((await run(['plan', '../config', '--out', '../plan.json'], { cwd: file('sub'), env: env() })).code).toBe(0);
    expect(readJson('plan.json').configPaths).toEqual(['config']);
    const elsewhere = await tempDir();
    try {
      writeFileSync(join(elsewhere.path, 'plan.json'), readFileSync(file('plan.json')));
      const result = await run(['apply', '--plan', join(elsewhere.path, 'plan.json')], { cwd: file('config'), env: env() });
      expect(result.stderr).not.toContain('error');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Apply complete: 10 created');
    } finally {
      await elsewhere.cleanup();
    }
  });

  it('accepts the plan file as a positional argument (apply PLANFILE), like Terraform', async () => {
    await savedPlanToAfter();
    const result = await downline('apply', 'plan.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Apply complete');
  });

  it('rejects a file that is not a saved plan, naming the place', async () => {
    write('plan.json', JSON.stringify({ formatVersion: 1, tool: 'downline', env: 'sandbox', configDigest: 'x' }));
    const result = await downline('apply', '--plan', 'plan.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan.json is not a downline saved plan (formatVersion 1): / must have required property');
  });
});

describe('apply --report', () => {
  it('is written on every outcome: no changes, blocked, refused', async () => {
    write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n');
    await downline('apply', '--auto-approve');
    expect((await downline('apply', '--auto-approve', '--report', 'report.json')).code).toBe(0);
    expect(readJson('report.json')).toMatchObject({ status: 'no-changes', results: [], summary: { succeeded: 0 } });
    write('plan.json', '{}');
    expect((await downline('apply', '--plan', 'plan.json', '--report', 'refused.json')).code).toBe(1);
    expect(readJson('refused.json')).toMatchObject({ status: 'refused', reasons: [expect.stringContaining('plan.json is not a downline saved plan')] });
  });

  it('to a path that cannot be written is refused before the first write', async () => {
    write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n');
    const missingDir = await downline('apply', '--auto-approve', '--report', 'no/such/dir/report.json');
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toContain('cannot write the report to no/such/dir/report.json');
    mkdirSync(file('adir'));
    const isDir = await downline('apply', '--auto-approve', '--report', 'adir');
    expect(isDir.code).toBe(1);
    expect(isDir.stderr).toContain('cannot write the report to adir: it is a directory');
    expect(sandbox.em.log).toEqual([]);
  });
});

describe('apply --report that fails at the end', () => {
  it('never hides the summary: the apply is reported on screen, then the lost report as an error', async () => {
    write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n  - name: Beta\n');
    mkdirSync(file('out'));
    let stdout = '';
    let stderr = '';
    const code = await main(['apply', '--auto-approve', '--report', 'out/report.json'], {
      stdout: { write: (s: string) => (stdout += s) },
      // The folder disappears while the apply runs (after the check, before the report).
      stderr: { write: (s: string) => ((stderr += s), s.includes('[1/2]') && rmSync(file('out'), { recursive: true })) },
      env: { ...env(), DOWNLINE_RETRY_BASE_MS: '5' }, cwd: sandbox.dir.path, isTTY: false,
    });
    expect(code).toBe(1);
    expect(stdout).toContain('Apply complete: 2 created');
    expect(stderr).toMatch(/error: the apply finished but its report could not be written to out\/report.json: ENOENT/);
    expect(sandbox.em.store.data.carriers).toHaveLength(2);
  });
});

describe('apply --plan with --target', () => {
  it('re-derives the plan limited to the recorded targets', async () => {
    write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n  - name: Beta\n');
    expect((await downline('plan', '--target', 'carrier.Beta', '--out', 'plan.json')).code).toBe(0);
    expect(readJson('plan.json').targets).toEqual(['carrier.Beta']);
    const result = await downline('apply', '--plan', 'plan.json');
    expect(result.code).toBe(0);
    expect(sandbox.em.store.data.carriers.map((c: { name: string }) => c.name)).toEqual(['Beta']);
  });
});

describe('invite links', () => {
  it('stay out of the output and the report unless --show-invite-links asks', async () => {
    const quiet = await downline('apply', '--auto-approve', example('quickstart'), '--report', 'report.json');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/https?:\/\//);
    expect(quiet.stdout).toContain('1 invite link(s) not shown');
    expect(readFileSync(file('report.json'), 'utf8')).not.toMatch(/https?:\/\//);
    expect(readJson('report.json').inviteLinksHidden).toBe(1);
  });
});

describe('downline show PLANFILE', () => {
  it('renders a saved plan offline in text, markdown and json (json byte for byte the file)', async () => {
    await savedPlanToAfter();
    const text = await downline('show', 'plan.json');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('~ commission level "Acme / Term / Street"');
    expect(text.stdout).toContain('firstYearValue: 80 → 82.5');
    expect(text.stderr).toContain('Saved plan for --env sandbox from downline.yaml');
    const md = await downline('show', 'plan.json', '--format', 'markdown');
    expect(md.stdout.startsWith('<!-- downline-plan -->\n### downline plan (sandbox)')).toBe(true);
    expect((await downline('show', 'plan.json', '--format', 'json')).stdout).toBe(readFileSync(file('plan.json'), 'utf8'));
    expect(sandbox.em.log).toEqual([]);
    expect(existsSync(file('.downline'))).toBe(false);
  });
});

describe('apply --plan makes no more requests than plan plus the writes', () => {
  const catalog = `version: 1\n${AGENCY}carriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels: [{ name: Street, type: percent, firstYearValue: 80, level: 1 }]\n`;
  const invites = Array.from({ length: 100 }, (_, i) => `  - producer: { npn: "${20000000 + i}", email: p${i}@agency.example, firstName: P, lastName: N${i} }\n    contracts: [{ carrier: Acme, product: Term, commissionLevel: Street, administrativeDivisions: [TX] }]\n`).join('');

  it.each([['creates only', false, 103], ['with an existing catalog', true, 100]] as const)('100 invitations, %s', async (_name, existing, expectedWrites) => {
    if (existing) {
      write('downline.yaml', catalog);
      expect((await downline('apply', '--auto-approve')).code).toBe(0);
    }
    write('downline.yaml', `${catalog}invites:\n${invites}`);
    sandbox.em.log.length = 0;
    expect((await downline('plan', '--out', 'plan.json')).code).toBe(0);
    const planRequests = sandbox.em.log.length;
    sandbox.em.log.length = 0;
    expect((await downline('apply', '--plan', 'plan.json')).code).toBe(0);
    expect(writes(sandbox.em)).toHaveLength(expectedWrites);
    // After the writes, apply reads the created keys again (another writer at the same moment?). That
    // read must come after the writes, so no read of the plan's can stand in for it; it is k = 4
    // requests whatever the number of objects: the carrier listing, the products of the one carrier
    // and the levels of the one product created under, and the one page of the assignment listing —
    // never the lookup lists (the check compares keys, it resolves no names) nor a read per object.
    const lastWrite = sandbox.em.log.map((r) => r.method !== 'GET').lastIndexOf(true);
    const afterCheck = sandbox.em.log.slice(lastWrite + 1).map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, 'ID')}`);
    expect(afterCheck.sort()).toEqual([
      'GET /contracting/v1/customers/ID/commissionLevels',
      'GET /contracting/v1/customers/carriers',
      'GET /contracting/v1/customers/carriers/ID/products',
      'GET /contracting/v1/customers/contractAssignments',
    ]);
    expect(sandbox.em.log.length).toBe(planRequests + expectedWrites + 4);
  });
});

describe('the agency identity outside --env local', () => {
  it('is never a default: an unset or empty variable behind agency is an error against sandbox/production, zero requests', async () => {
    // A copy: --env local keeps its account beside the config, not in this repository.
    const quickstart = file('quickstart');
    cpSync(example('quickstart'), quickstart, { recursive: true });
    for (const value of [undefined, '']) {
      const result = await run(['plan', quickstart], { cwd: sandbox.dir.path, env: { ...env(), AGENTSYNC_ORG_ID: value } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/downline\.yaml:8:\d+: error: agency\.organizationId would use the default of \$\{env:AGENTSYNC_ORG_ID:-…\}: AGENTSYNC_ORG_ID is unset or empty/);
    }
    expect(sandbox.em.log).toEqual([]);
    expect((await run(['plan', quickstart, '--env', 'local'], { cwd: sandbox.dir.path, env: { CI: 'true' } })).code).toBe(0);
  });
});
