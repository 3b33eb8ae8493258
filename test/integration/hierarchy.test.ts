import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, envFor, startEmulator, token, type Emulator } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

let now = new Date('2025-01-10T09:00:00Z');
let em: Emulator;
let t: string;
let org: string;
const levels: Record<string, string> = {};
const assignments: Record<string, string> = {};
const status = async (name: string) => (await call(em, t, 'GET', '/v1/assignmentStatuses?size=100')).body._embedded.assignmentStatuses.find((s: { name: string }) => s.name === name).id;

/** IMO (100) → agency (200) → producer (300), contracted on 2025-01-10. */
beforeEach(async () => {
  now = new Date('2025-01-10T09:00:00Z');
  em = await startEmulator({ now: () => now, tokenTtl: 365 * 86400 });
  t = await token(em);
  org = (await call(em, t, 'POST', '/v1/customers/carriers', { name: 'Acme IMO' })).body.id;
  const lob = (await call(em, t, 'GET', '/v1/linesOfBusiness')).body._embedded.linesOfBusiness[0].id;
  const product = (await call(em, t, 'POST', `/v1/customers/carriers/${org}/products`, { name: 'Term Life 10-Year', lineOfBusinessId: lob })).body;
  const created = (await call(em, t, 'POST', `/v1/customers/${product.id}/commissionLevels/bulk`, [
    { name: 'L1', type: 'Percent', level: 100 }, { name: 'L2', type: 'Percent', level: 90 }, { name: 'L3', type: 'Percent', level: 80 },
  ])).body as Array<{ id: string; name: string }>;
  for (const l of created) levels[l.name] = l.id;
  const active = await status('ACTIVE');
  for (const [npn, upline, level, states] of [['100', undefined, 'L1', ['CA', 'TX', 'NY']], ['200', '100', 'L2', ['CA']], ['300', '200', 'L3', ['CA']]] as const) {
    const body = { npn, productId: product.id, commissionLevelId: levels[level], assignmentStatusId: active, administrativeDivisions: states, ...(upline ? { uplineNpn: upline } : {}) };
    assignments[npn] = (await call(em, t, 'POST', '/v1/customers/contractAssignments', body)).body.id;
  }
  em.store.data.persons = { 100: { firstName: 'Acme', lastName: 'IMO' }, 200: { firstName: 'Westside', lastName: 'Agency' }, 300: { firstName: 'Joe', lastName: 'Producer' } };
});
afterEach(() => em.close());

const hierarchy = (...args: string[]) => run(['hierarchy', '--org', org, ...args], { env: envFor(em) });

describe('downline hierarchy', () => {
  it('rebuilds the three-level tree from the flat node list', async () => {
    const result = await hierarchy();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'Term Life 10-Year',
      '└─ Acme IMO — L1 (100) · CA, TX, NY · Active',
      '   └─ Westside Agency — L2 (90) · CA · Active',
      '      └─ Joe Producer — L3 (80) · CA · Active',
      '',
    ].join('\n'));
  });

  it('gives the point-in-time view before and after an upline change, and marks inactive positions', async () => {
    now = new Date('2025-02-01T09:00:00Z');
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['300']}`, { uplineNpn: '100' });
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['200']}`, { assignmentStatusId: await status('TERMINATED') });
    const before = await hierarchy('--date', '2025-01-15');
    expect(before.stdout).toContain('   └─ Westside Agency — L2 (90) · CA · Active\n      └─ Joe Producer');
    const after = await hierarchy('--date', '2025-02-15');
    expect(after.stdout).toBe([
      'Term Life 10-Year — as of 2025-02-15',
      '└─ Acme IMO — L1 (100) · CA, TX, NY · Active',
      '   ├─ Joe Producer — L3 (80) · CA · Active',
      '   └─ Westside Agency — L2 (90) · CA · Terminated [inactive]',
      '',
    ].join('\n'));
    const json = JSON.parse((await hierarchy('--date', '2025-01-09', '--format', 'json')).stdout);
    expect(json.products[0].tree).toEqual([]);
  });

  it('scopes to a person and to a product', async () => {
    const person = em.store.data.assignments.find((a) => a.npn === '300')!;
    const nodes = await call(em, t, 'GET', `/v1/customers/contractAssignments/${person.id}`);
    const result = await hierarchy('--person', nodes.body.personId);
    expect(result.stdout).toBe('Term Life 10-Year\n└─ Joe Producer — L3 (80) · CA · Active\n');
    expect((await hierarchy('--product', 'Whole Life')).stdout).toBe('');
  });

  it('reports lifecycle events from the changelog, in text and JSON', async () => {
    now = new Date('2025-02-01T09:00:00Z');
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['300']}`, { uplineNpn: '100' });
    now = new Date('2025-02-02T09:00:00Z');
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['300']}`, { commissionLevelId: levels.L2 });
    now = new Date('2025-02-03T09:00:00Z');
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['200']}`, { assignmentStatusId: await status('PENDING_WITH_CARRIER') });
    now = new Date('2025-02-04T09:00:00Z');
    await call(em, t, 'PUT', `/v1/customers/contractAssignments/${assignments['100']}`, { assignmentStatusId: await status('TERMINATED') });
    const text = await hierarchy('--changes-since', '2025-01-01');
    expect(text.stdout).toContain('producer added            Joe Producer (CA-00003) on Term Life 10-Year');
    expect(text.stdout).toContain('upline changed            Joe Producer (CA-00003) on Term Life 10-Year: Westside Agency → Acme IMO');
    expect(text.stdout).toContain('commission level changed  Joe Producer (CA-00003) on Term Life 10-Year: L3 → L2');
    expect(text.stdout).toContain('pending                   Westside Agency (CA-00002) on Term Life 10-Year: Pending with Carrier');
    expect(text.stdout).toContain('terminated                Acme IMO (CA-00001) on Term Life 10-Year: Terminated');
    const json = JSON.parse((await hierarchy('--changes-since', '2025-02-02', '--format', 'json')).stdout);
    expect(json.events.map((e: { type: string }) => e.type)).toEqual(['commission-level-changed', 'pending', 'terminated']);
  });

  it('rejects a malformed date', async () => {
    const result = await hierarchy('--date', '15/01/2025');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--date must be a date like 2025-01-15');
  });

  it('takes a carrier name for --org, an NPN for --person, a product name for --product', async () => {
    const byId = await hierarchy();
    const byName = await run(['hierarchy', '--org', 'Acme IMO'], { env: envFor(em) });
    expect(byName).toEqual(byId);
    expect((await run(['hierarchy', '--org', 'acme imo'], { env: envFor(em) })).stdout).toBe(byId.stdout);
    const person = await hierarchy('--person', '300', '--product', 'Term Life 10-Year');
    expect(person.code).toBe(0);
    expect(person.stdout).toBe('Term Life 10-Year\n└─ Joe Producer — L3 (80) · CA · Active\n');
  });

  it('an unknown name, NPN or product is an error with suggestions; so is a date that does not exist', async () => {
    const org = await run(['hierarchy', '--org', 'Acme IMOO'], { env: envFor(em) });
    expect(org.code).toBe(1);
    expect(org.stderr).toContain('error: --org "Acme IMOO": no carrier of that name (did you mean "Acme IMO"?)');
    const product = await hierarchy('--product', 'Term Life 10');
    expect(product.code).toBe(1);
    expect(product.stderr).toContain('error: --product "Term Life 10": no product with a hierarchy of that name (did you mean "Term Life 10-Year"?)');
    const person = await hierarchy('--person', '999');
    expect(person.code).toBe(1);
    expect(person.stderr).toMatch(/^error: --person 999: no producer with this NPN holds a position in \S+'s hierarchies \(closest NPNs: 100, 200, 300\)\n$/);
    const date = await hierarchy('--date', '2025-02-30');
    expect(date.code).toBe(1);
    expect(date.stderr).toContain('--date must be a date like 2025-01-15 (got "2025-02-30")');
  });
});
