import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, token, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';
import { DECLARED_TREE, treeConfig, type TreeOptions } from '../fixtures/hierarchy/tree.js';

const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const write = (options: TreeOptions = {}, name = 'downline.yaml') => writeFileSync(join(sandbox.dir.path, name), treeConfig(options));

/** The live tree as the emulator stores it: `{ npn: children }` from each assignment's uplineNpn. */
function liveTree(): Record<string, unknown> {
  const all = sandbox.em.store.data.assignments;
  const build = (upline: string | undefined): Record<string, unknown> =>
    Object.fromEntries(all.filter((a) => (a.uplineNpn ?? undefined) === upline).map((a) => [a.npn, build(a.npn)]));
  return build(undefined);
}

/** `hierarchy --format json` (the Hierarchies API) as `{ npn: children }`. */
async function apiTree(): Promise<Record<string, unknown>> {
  const org = sandbox.em.store.data.carriers[0].id;
  const result = await downline('hierarchy', '--org', org, '--format', 'json');
  expect(result.code).toBe(0);
  type Node = { node: { npn: string }; children: Node[] };
  const nest = (nodes: Node[]): Record<string, unknown> => Object.fromEntries(nodes.map((n) => [n.node.npn, nest(n.children)]));
  return nest(JSON.parse(result.stdout).products[0].tree);
}

describe('the hierarchy as code: upline and states on assignments', () => {
  it('applies a three-level tree across npns: and single entries; the Hierarchies API shows exactly it; a second plan is clean', async () => {
    write();
    const applied = await downline('apply', '--auto-approve');
    expect(applied.code).toBe(0);
    expect(liveTree()).toEqual(DECLARED_TREE);
    expect(await apiTree()).toEqual(DECLARED_TREE);
    const states = Object.fromEntries(sandbox.em.store.data.assignments.map((a) => [a.npn, a.administrativeDivisions]));
    expect(states).toMatchObject({ 100: ['CA', 'NY', 'TX'], 200: ['CA', 'TX'], 303: ['CA'] });
    // Creates wait for their upline: agency, then managers, then producers.
    const order = sandbox.em.store.data.assignments.map((a) => a.npn);
    expect(order.indexOf('100')).toBeLessThan(order.indexOf('200'));
    expect(order.indexOf('201')).toBeLessThan(order.indexOf('305'));
    sandbox.em.log.length = 0;
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('moves one producer with one PUT, and the text plan says moved … from … to …', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write({ move: { 301: '201' } });
    const plan = await downline('plan');
    expect(plan.stdout).toContain('upline: "200" → "201"');
    expect(plan.stdout).toContain('Hierarchy\n  "Acme Life / Term 10"\n    ~ moved 301 from 200 to 201\n');
    const markdown = (await downline('plan', '--format', 'markdown')).stdout;
    expect(markdown).toContain('```mermaid\nflowchart TD\n');
    expect(markdown).toContain('  n201 ==>|moved here| n301\n  n200 -.->|was| n301\n');
    expect(markdown).toContain('  class n301 moved\n```');
    expect(JSON.parse((await downline('plan', '--format', 'json')).stdout).hierarchy).toEqual([{ carrier: 'Acme Life', product: 'Term 10', npn: '301', change: 'moved', from: '200', to: '201' }]);
    sandbox.em.log.length = 0;
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const id = sandbox.em.store.data.assignments.find((a) => a.npn === '301')!.id;
    expect(writes(sandbox.em).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /contracting/v1/customers/contractAssignments/${id}`]);
    expect(await apiTree()).toEqual({ 100: { 200: { 300: {}, 302: {} }, 201: { 301: {}, 303: {}, 304: {}, 305: {} } } });
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('moves several producers (one to the top) in one bulk PUT, and changes states', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const text = treeConfig({ move: { 300: '201', 304: '200' } }).replace('administrativeDivisions: [CA, TX]\n', 'administrativeDivisions: [CA, TX, NY]\n')
      .replace(/ {2}- npn: "305"\n(.*\n){3} {4}upline: "201"\n/, (m) => m.replace('    upline: "201"\n', ''));
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    sandbox.em.log.length = 0;
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(writes(sandbox.em).map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /contracting/v1/customers/contractAssignments/bulk']);
    expect(liveTree()).toEqual({ 100: { 200: { 302: {}, 301: {}, 304: {} }, 201: { 300: {}, 303: {} } }, 305: {} });
    expect(sandbox.em.store.data.assignments.find((a) => a.npn === '201')!.administrativeDivisions.sort()).toEqual(['CA', 'NY', 'TX']);
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('terminating a position (statusPolicy: enforce) shows as terminated in the Hierarchy section and the chart', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const text = treeConfig().replace(/( {2}- npn: "305"\n(.*\n){4})/, '$1    status: TERMINATED\n    statusPolicy: enforce\n');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    const plan = await downline('plan');
    expect(plan.stdout).toContain('Hierarchy\n  "Acme Life / Term 10"\n    - terminated 305 (under 201)\n');
    expect((await downline('plan', '--format', 'markdown')).stdout).toContain('  class n305 terminated\n');
    expect(JSON.parse((await downline('plan', '--format', 'json')).stdout).hierarchy).toEqual([{ carrier: 'Acme Life', product: 'Term 10', npn: '305', change: 'terminated', from: '201', to: null }]);
  });

  it('export writes upline and states, and the export plans clean', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const exported = await downline('export', '--out', 'exported.yaml');
    expect(exported.code).toBe(0);
    const text = (await downline('export')).stdout;
    expect(text).toContain('upline: "100"');
    expect(text).toContain('administrativeDivisions: [ CA, TX ]');
    expect(text).toMatch(/- npns: \[ "300", "301", "302" \]\n( {4}.*\n)*? {4}upline: "200"\n/);
    expect((await downline('plan', 'exported.yaml', '--detailed-exitcode')).code).toBe(0);
  });

  it('accepts upline as the canonical spelling in invitation contracts, uplineNpn as its synonym, never both', async () => {
    const base = treeConfig().replace('version: 1\n', 'version: 1\nagency: { organizationId: org-1, inviter: { firstName: A, lastName: B, email: a@b.example } }\n');
    const invite = (key: string) => `invites:
  - producer: { npn: "400", email: p@x.example, firstName: P, lastName: Q }
    contracts:
      - { carrier: Acme Life, product: Term 10, commissionLevel: Street, ${key} }
`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), base + invite('upline: "300", uplineNpn: "300"'));
    const both = await downline('validate');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('a contract takes "upline" or its synonym "uplineNpn", not both');
    for (const key of ['upline: "300"', 'uplineNpn: "300"']) {
      writeFileSync(join(sandbox.dir.path, 'downline.yaml'), base + invite(key));
      expect((await downline('validate')).code).toBe(0);
    }
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect(sandbox.em.store.data.assignments.find((a) => a.npn === '400')!.uplineNpn).toBe('300');
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });
});

describe('uplines in invitation contracts', () => {
  it('an invitation whose upline is invited in the same apply waits for that invitation (declared in either order)', async () => {
    const text = treeConfig().replace('version: 1\n', 'version: 1\nagency: { organizationId: org-1, inviter: { firstName: A, lastName: B, email: a@b.example } }\n') + `invites:
  - producer: { npn: "402", email: c@x.example, firstName: C, lastName: D }
    contracts: [{ carrier: Acme Life, product: Term 10, commissionLevel: Street, upline: "401" }]
  - producer: { npn: "401", email: p@x.example, firstName: P, lastName: Q }
    contracts: [{ carrier: Acme Life, product: Term 10, commissionLevel: Street, upline: "300" }]
`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    const plan = JSON.parse((await downline('plan', '--format', 'json')).stdout);
    expect(plan.changes.find((c: { address: { key: string } }) => c.address.key === '402').dependsOn[0]).toBe('invite.401');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const posts = writes(sandbox.em).filter((r) => r.path.endsWith('/invitation')).map((r) => r.status);
    expect(posts).toEqual([201, 201]);
    expect(liveTree()).toMatchObject({ 100: { 200: { 300: { 401: { 402: {} } } } } });
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });
});

describe('the emulator keeps uplines on assignments', () => {
  it('rejects an uplineNpn with no assignment on that product (POST, PUT and bulk PUT) with a 400 naming it', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const t = await token(sandbox.em);
    const a = sandbox.em.store.data.assignments.find((x) => x.npn === '300')!;
    const post = await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: '999', productId: a.productId, commissionLevelId: a.commissionLevelId, uplineNpn: '12345' });
    expect(post.status).toBe(400);
    expect(post.body.messages).toEqual([`uplineNpn 12345 holds no contract assignment on product ${a.productId}.`]);
    const put = await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${a.id}`, { uplineNpn: '12345' });
    expect(put.status).toBe(400);
    const bulk = await call(sandbox.em, t, 'PUT', '/v1/customers/contractAssignments/bulk', { contractAssignments: [{ id: a.id, uplineNpn: '201' }, { id: a.id, uplineNpn: '12345' }] });
    expect(bulk.status).toBe(400);
    expect(bulk.body.messages[0]).toContain('contractAssignments[1].uplineNpn 12345');
    expect(a.uplineNpn).toBe('200');
  });

  it('derives hierarchy nodes and changelog entries from assignment uplines set by PUT and bulk PUT', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const t = await token(sandbox.em);
    const id = (npn: string) => sandbox.em.store.data.assignments.find((x) => x.npn === npn)!.id;
    expect((await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${id('300')}`, { uplineNpn: '201' })).status).toBe(200);
    expect((await call(sandbox.em, t, 'PUT', '/v1/customers/contractAssignments/bulk', { contractAssignments: [{ id: id('303'), uplineNpn: '200' }, { id: id('304'), uplineNpn: null }] })).status).toBe(200);
    expect(await apiTree()).toEqual({ 100: { 200: { 301: {}, 302: {}, 303: {} }, 201: { 300: {}, 305: {} } }, 304: {} });
    const org = sandbox.em.store.data.carriers[0].id;
    const events = JSON.parse((await downline('hierarchy', '--org', org, '--changes-since', '2000-01-01', '--format', 'json')).stdout).events;
    const moves = events.filter((e: { type: string }) => e.type === 'upline-changed').map((e: { producerName: string; from: string; to: string | null }) => `${e.producerName}: ${e.from} → ${e.to}`);
    expect(moves.sort()).toEqual(['Producer 300: Producer 200 → Producer 201', 'Producer 303: Producer 201 → Producer 200', 'Producer 304: Producer 201 → null']);
  });
});

describe('downline hierarchy --config', () => {
  it('draws the declared tree offline (no request), in text and JSON', async () => {
    write();
    const text = await run(['hierarchy', '--config'], { cwd: sandbox.dir.path, env: {} });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe([
      'Acme Life / Term 10 — declared',
      '└─ 100 — Agency · CA, NY, TX',
      '   ├─ 200 — Manager · CA, TX',
      '   │  ├─ 300 — Street · CA',
      '   │  ├─ 301 — Street · CA',
      '   │  └─ 302 — Street · CA',
      '   └─ 201 — Manager · CA, TX',
      '      ├─ 303 — Street · CA',
      '      ├─ 304 — Street · CA',
      '      └─ 305 — Street · CA',
      '',
    ].join('\n'));
    expect(sandbox.em.log).toEqual([]);
    const json = JSON.parse((await run(['hierarchy', '--config', 'downline.yaml', '--format', 'json'], { cwd: sandbox.dir.path, env: {} })).stdout);
    type Node = { node: { npn: string }; children: Node[] };
    const nest = (nodes: Node[]): Record<string, unknown> => Object.fromEntries(nodes.map((n) => [n.node.npn, nest(n.children)]));
    expect(json.products.map((p: { carrier: string; product: string; tree: Node[] }) => [p.carrier, p.product, nest(p.tree)])).toEqual([['Acme Life', 'Term 10', DECLARED_TREE]]);
  });

  it('with --env marks where the live tree differs: not live yet, live under another upline, live but not declared', async () => {
    write();
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    expect((await downline('hierarchy', '--config', '--env', 'sandbox')).stdout).toContain('The live tree matches the declared one.\n');
    const moved = treeConfig({ move: { 301: '201' }, extra: '  - npn: "307"\n    carrier: Acme Life\n    product: Term 10\n    commissionLevel: Street\n    upline: "300"\n' })
      .replace(/ {2}- npn: "305"\n(.*\n){4}.*\n/, '');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), moved);
    const result = await downline('hierarchy', '--config', '--env', 'sandbox');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('   │  ├─ 300 — Street · CA\n   │  │  └─ 307 [+ not live yet] — Street\n');
    expect(result.stdout).toContain('      ├─ 301 [~ live under 200] — Street · CA\n');
    expect(result.stdout).toContain('      └─ 305 [? live only, not declared] — Street · CA · PENDING_WITH_AGENCY\n');
    expect(result.stdout).toContain('3 position(s) differ from the live tree');
    type Node = { node: { npn: string; difference?: string; liveUpline?: string | null }; children: Node[] };
    const flat = (nodes: Node[]): Node['node'][] => nodes.flatMap((n) => [n.node, ...flat(n.children)]);
    const json = JSON.parse((await downline('hierarchy', '--config', '--env', 'sandbox', '--format', 'json')).stdout);
    expect(json.source).toBe('config+live');
    expect(flat(json.products[0].tree).filter((n) => n.difference).map((n) => [n.npn, n.difference, n.liveUpline ?? null]).sort())
      .toEqual([['301', 'moved', '200'], ['305', 'live only', '201'], ['307', 'not live', null]]);
  });

  it('an invalid config draws nothing: exit 1 with the findings (a JSON document under --format json)', async () => {
    write({ extra: '  - npn: "306"\n    carrier: Acme Life\n    product: Term 10\n    commissionLevel: Street\n    upline: "306"\n' });
    const json = await run(['hierarchy', '--config', '--format', 'json'], { cwd: sandbox.dir.path, env: {} });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).diagnostics.map((d: { message: string }) => d.message)).toEqual(['producer 306 is its own upline on "Acme Life / Term 10" [noCycles]']);
  });

  it('without --config, --org is required', async () => {
    const result = await downline('hierarchy');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('hierarchy needs --org ID (the live views), or --config [PATH] (the declared tree)');
  });
});
