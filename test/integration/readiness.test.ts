import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NPN_BATCH } from '../../src/api/producersync.js';
import { LIST_PAGE_SIZE } from '../../src/api/http.js';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

const HEAD = `version: 1
carriers:
  - name: Acme Life
    products:
      - name: Term Life
        lineOfBusiness: Life
        administrativeDivisions: [CA, NY, TX]
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
`;

/** A config of `n` new producers in one npns: list; returns the file and the line of each NPN. */
function book(n: number, readiness?: string): { file: string; lineOf: Map<string, number> } {
  const lines = [...HEAD.trimEnd().split('\n')];
  if (readiness) lines.push('readiness:', `  licenses: ${readiness}`);
  lines.push('assignments:', '  - carrier: Acme Life', '    product: Term Life', '    commissionLevel: Street', '    npns:');
  const lineOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const npn = String(17_000_000 + i);
    lines.push(`      - "${npn}"`);
    lineOf.set(npn, lines.length);
  }
  const file = join(sandbox.dir.path, 'downline.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, lineOf };
}

const plan = (args: string[]) => run(['plan', ...args], { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const licenceRequests = () => sandbox.em.log.filter((r) => r.path.startsWith('/producersync/'));
const UNLICENSED_IN_TX = ['17000003', '17000101', '17000250', '17000251', '17000499', '17000777', '17000999'];
const EXPIRED_IN_NY = ['17000010', '17000600'];

function licenceTable(): void {
  for (const npn of UNLICENSED_IN_TX) sandbox.em.licences[npn] = [{ state: 'CA' }, { state: 'NY' }];
  for (const npn of EXPIRED_IN_NY) sandbox.em.licences[npn] = [{ state: 'CA' }, { state: 'TX' }, { state: 'NY', expirationDate: '2025-09-30' }];
}

describe('readiness: licensed before contracted (SPEC §15)', () => {
  it('1,000 new producers, 7 unlicensed in TX and 2 expired in NY: exactly those 9 findings at their NPN, in batched requests', async () => {
    const { lineOf } = book(1000);
    licenceTable();
    const result = await plan(['--format', 'json', '--detailed-exitcode']);
    expect(result.code).toBe(2);
    const doc = JSON.parse(result.stdout);
    const findings = doc.diagnostics.filter((d: { message: string }) => d.message.includes('is not ready for'));
    expect(findings).toHaveLength(9);
    for (const npn of UNLICENSED_IN_TX) {
      expect(findings).toContainEqual(expect.objectContaining({
        severity: 'warning',
        message: `producer ${npn} is not ready for "Acme Life / Term Life": no active Life licence in TX; no licence held there`,
        source: { file: 'downline.yaml', line: lineOf.get(npn), column: 9 },
      }));
    }
    for (const npn of EXPIRED_IN_NY) {
      expect(findings).toContainEqual(expect.objectContaining({
        severity: 'warning',
        message: `producer ${npn} is not ready for "Acme Life / Term Life": no active Life licence in NY; expired 2025-09-30`,
        source: { file: 'downline.yaml', line: lineOf.get(npn), column: 9 },
      }));
    }
    expect(doc.diagnostics).toHaveLength(9);
    // Many NPNs per request, pages of up to 1,000 licences: never one request per producer.
    const requests = licenceRequests();
    const licences = 991 * 56 + 7 * 2 + 2 * 3;
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(1000 / NPN_BATCH) + Math.ceil(licences / LIST_PAGE_SIZE));
    expect(new Set(requests.map((r) => new URLSearchParams(r.query).get('npns'))).size).toBe(Math.ceil(1000 / NPN_BATCH));
    expect(requests.every((r) => new URLSearchParams(r.query).get('size') === String(LIST_PAGE_SIZE))).toBe(true);
  });

  it('with licenses: error the plan exits 1 and apply writes nothing', async () => {
    book(20, 'error');
    sandbox.em.licences['17000004'] = [{ state: 'CA' }, { state: 'NY' }];
    const planned = await plan([]);
    expect(planned.code).toBe(1);
    expect(planned.stdout).toContain('downline.yaml:21:9: error: producer 17000004 is not ready for "Acme Life / Term Life": no active Life licence in TX; no licence held there');
    const applied = await run(['apply', '--auto-approve'], { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
    expect(applied.code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('a no-op plan asks ProducerSync nothing; off asks nothing either', async () => {
    book(5);
    expect((await run(['apply', '--auto-approve'], { cwd: sandbox.dir.path, env: envFor(sandbox.em) })).code).toBe(0);
    sandbox.em.log.length = 0;
    expect((await plan(['--detailed-exitcode'])).code).toBe(0);
    expect(licenceRequests()).toEqual([]);
    book(8, 'off');
    sandbox.em.licences['17000006'] = [];
    const off = await plan(['--detailed-exitcode']);
    expect(off.code).toBe(2);
    expect(off.stdout).not.toContain('not ready');
    expect(licenceRequests()).toEqual([]);
  });

  it('a 403 from ProducerSync is one warning and the plan proceeds; with error it fails closed', async () => {
    book(300);
    sandbox.em.faults.push({ method: 'GET', path: /^\/producersync\//, status: 403, times: 10 });
    const result = await plan(['--detailed-exitcode']);
    expect(result.code).toBe(2);
    const warnings = result.stdout.split('\n').filter((l) => l.includes('warning:'));
    expect(warnings).toEqual([expect.stringContaining('warning: licence check skipped for 300 new contract(s): ProducerSync answered 403')]);
    expect(result.stdout).toContain('Plan: 303 to create');
    book(3, 'error');
    const closed = await plan([]);
    expect(closed.code).toBe(1);
    expect(closed.stdout).toContain('downline.yaml:11:13: error: licence check skipped for 3 new contract(s): ProducerSync answered 403');
  });

  it('an invitation contract is checked in its own states, reported at the contract and naming the producer', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), `${HEAD}agency:
  organizationId: 00000000-0000-4000-8000-000000000001
  inviter: { firstName: Admin, lastName: User, email: admin@agency.example }
invites:
  - producer: { npn: "15645556", email: jane@example.com, firstName: Jane, lastName: Smith }
    contracts:
      - carrier: Acme Life
        product: Term Life
        commissionLevel: Street
        administrativeDivisions: [CO, CA]
`);
    sandbox.em.licences['15645556'] = [{ state: 'CA' }, { state: 'CO', linesOfAuthority: ['Property', 'Casualty'] }];
    const result = await plan([]);
    expect(result.stdout).toContain('downline.yaml:16:9: warning: producer Jane Smith (15645556) is not ready for "Acme Life / Term Life": no active Life licence in CO; the licence held there has no matching line of authority (holds Casualty, Property)');
    expect(result.stdout).not.toContain('licence in CA');
  });

  it('--env local reads licenses.json beside its state; downline emulator --licenses refuses a malformed table', async () => {
    book(3);
    mkdirSync(join(sandbox.dir.path, '.downline'));
    writeFileSync(join(sandbox.dir.path, '.downline', 'licenses.json'), JSON.stringify({ 17000001: [{ state: 'CA' }, { state: 'NY' }, { state: 'TX', active: false }] }));
    const local = await run(['plan', '--env', 'local'], { cwd: sandbox.dir.path, env: {} });
    expect(local.stdout).toContain('downline.yaml:16:9: warning: producer 17000001 is not ready for "Acme Life / Term Life": no active Life licence in TX; licence inactive');
    expect(local.stdout.match(/not ready/g)).toHaveLength(1);
    writeFileSync(join(sandbox.dir.path, 'bad.json'), JSON.stringify({ 17000001: [{ state: 'XX' }] }));
    const refused = await run(['emulator', '--port', '0', '--licenses', 'bad.json'], { cwd: sandbox.dir.path, env: {} });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bad.json: 17000001[0].state: not a two-letter state code');
  });

  it('an assignment that declares its states is checked in those, not in its product\'s', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), `${HEAD}assignments:
  - npn: "17400001"
    carrier: Acme Life
    product: Term Life
    commissionLevel: Street
    administrativeDivisions: [CA]
  - npn: "17400002"
    carrier: Acme Life
    product: Term Life
    commissionLevel: Street
    administrativeDivisions: [CA, TX]
`);
    sandbox.em.licences['17400001'] = [{ state: 'CA' }];
    sandbox.em.licences['17400002'] = [{ state: 'CA' }];
    const result = await plan([]);
    expect(result.stdout.match(/not ready/g)).toHaveLength(1);
    expect(result.stdout).toContain('downline.yaml:16:5: warning: producer 17400002 is not ready for "Acme Life / Term Life": no active Life licence in TX; no licence held there');
  });
});
