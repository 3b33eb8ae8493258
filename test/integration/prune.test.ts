import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { count, envFor, writes, useSandbox } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

function config(options: { products?: string[]; levels?: string[]; npns?: string[]; prune?: string }): string {
  const products = options.products ?? ['Term', 'Whole'];
  const levels = options.levels ?? ['L1', 'L2'];
  const npns = options.npns ?? ['1001', '1002'];
  return [
    'version: 1',
    ...(options.prune ? [`prune: ${options.prune}`] : []),
    'carriers:',
    '  - name: Acme',
    ...(products.length ? ['    products:'] : []),
    ...products.flatMap((p) => [`      - name: ${p}`, '        lineOfBusiness: Life', '        commissionLevels:', ...levels.map((l) => `          - { name: ${l}, type: percent }`)]),
    ...(npns.length ? ['assignments:', ...products.flatMap((p) => [`  - npns: [${npns.map((n) => `"${n}"`).join(', ')}]`, '    carrier: Acme', `    product: ${p}`, '    commissionLevel: L1'])] : []),
    '',
  ].join('\n');
}

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const ALL = '{ products: true, commissionLevels: true, assignments: true }';

describe('pruning', () => {
  beforeEach(async () => {
    write(config({}));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
  });

  it('without prune, removed objects are unmanaged and untouched', async () => {
    write(config({ products: ['Term'], levels: ['L1'], npns: ['1001'] }));
    const result = await downline('plan', '--detailed-exitcode');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('? product "Acme / Whole"');
    expect(result.stdout).toContain('? commission level "Acme / Term / L2"');
    // Discovery reads only the producers the config names: 1001's contract on the removed product shows.
    expect(result.stdout).toContain('? assignment of 1001 on "Acme / Whole"');
    expect((await downline('apply', '--auto-approve')).stdout).toContain('No changes.');
  });

  it('deletes each kind it covers, shows them distinctly, and records the last known state', async () => {
    write(config({ levels: ['L1'], npns: ['1001'], prune: ALL }));
    const plan = await downline('plan');
    expect(plan.stdout).toContain('- commission level "Acme / Term / L2"  (delete)');
    expect(plan.stdout).toContain('Deletes: 2 commission levels, 2 contract assignments.');
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 4 to delete, 0 unmanaged.');
    const md = await downline('plan', '--format', 'markdown');
    expect(md.stdout).toContain('This plan **deletes 4 object(s)**');
    const apply = await downline('apply', '--auto-approve', '--report', 'report.json');
    expect(apply.code).toBe(0);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    expect(report.summary.deleted).toBe(4);
    expect(report.results.find((r: { address: string }) => r.address === 'commissionLevel.Acme/Term/L2').deleted).toMatchObject({ type: 'Percent' });
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('removing a product deletes its assignments and levels first, then the product; re-plan is clean', async () => {
    write(config({ products: ['Term'], prune: '{ products: true }' }));
    const result = await downline('apply', '--auto-approve');
    expect(result.code).toBe(0);
    const deletes = writes(sandbox.em).filter((w) => w.method === 'DELETE').map((w) => w.path.split('/').slice(-2, -1)[0]);
    expect(deletes).toHaveLength(5);
    expect(deletes[4]).toBe('products');
    expect(deletes.lastIndexOf('contractAssignments')).toBeLessThan(deletes.lastIndexOf('commissionLevels'));
    expect(sandbox.em.store.data.products.map((p) => p.name)).toEqual(['Term']);
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('never deletes carriers, and never touches undeclared carriers', async () => {
    write(`version: 1\nprune: ${ALL}\ncarriers:\n  - name: Other\n`);
    const result = await downline('plan', '--force');
    expect(result.stdout).toContain('? carrier "Acme"');
    expect(result.stdout).toContain('0 to delete');
  });

  it('blocks past --max-deletes with exit 3 and zero writes; --force proceeds', async () => {
    write(config({ products: [], npns: [], prune: ALL }));
    sandbox.em.log.length = 0;
    const blocked = await downline('apply', '--auto-approve', '--max-deletes', '3');
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toContain('Plan: 0 to create, 0 to update, 10 to delete');
    expect(blocked.stderr).toContain('10 deletes exceed --max-deletes 3');
    expect(blocked.stderr).toContain('--force');
    expect(writes(sandbox.em)).toEqual([]);
    expect((await downline('plan', '--detailed-exitcode', '--max-deletes', '3')).code).toBe(3);
    const forced = await downline('apply', '--auto-approve', '--max-deletes', '3', '--force');
    expect(forced.code).toBe(0);
    expect(count(sandbox.em, 'DELETE', /./)).toBe(10);
  });

  it('a blocked plan says so in JSON, and apply --format json prints the --report document', async () => {
    write(config({ products: [], npns: [], prune: ALL }));
    sandbox.em.log.length = 0;
    const plan = await downline('plan', '--format', 'json', '--max-deletes', '3', '--detailed-exitcode');
    expect(plan.code).toBe(3);
    expect(JSON.parse(plan.stdout)).toMatchObject({ status: 'blocked', reasons: ['10 deletes exceed --max-deletes 3'], summary: { delete: 10 } });
    const applied = await downline('apply', '--auto-approve', '--format', 'json', '--max-deletes', '3', '--report', 'blocked.json');
    expect(applied.code).toBe(3);
    expect(JSON.parse(applied.stdout)).toMatchObject({ status: 'blocked', reasons: ['10 deletes exceed --max-deletes 3'], results: [] });
    expect(applied.stdout).toBe(readFileSync(join(sandbox.dir.path, 'blocked.json'), 'utf8'));
    expect(writes(sandbox.em)).toEqual([]);
    write(config({}));
    expect(JSON.parse((await downline('plan', '--format', 'json')).stdout)).toMatchObject({ status: 'ok', reasons: [] });
  });

  it('blocks past --max-delete-percent of a kind in scope, naming both numbers', async () => {
    const npns = Array.from({ length: 12 }, (_, i) => String(3000 + i));
    write(config({ products: ['Term'], levels: ['L1'], npns }));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(config({ products: ['Term'], levels: ['L1'], npns: npns.slice(0, 9), prune: '{ assignments: true }' }));
    const blocked = await downline('apply', '--auto-approve', '--max-deletes', '100');
    expect(blocked.code).toBe(3);
    // 3 of the 12 on Term, plus 1001 and 1002 on Term and on the undeclared Whole: 7 of the 16 live.
    expect(blocked.stderr).toContain('7 of 16 live assignment objects (43.8%) exceed --max-delete-percent 20');
    expect((await downline('apply', '--auto-approve', '--max-deletes', '100', '--max-delete-percent', '50')).code).toBe(0);
  });

  it('reports a delete the API refuses with its message', async () => {
    write(config({ levels: ['L1'], npns: ['1001'], prune: '{ commissionLevels: true }' }));
    // Level L2 is unused, so this one goes; make it used by someone else first.
    const l2 = sandbox.em.store.data.levels.find((l) => l.name === 'L2')!;
    const a = sandbox.em.store.data.assignments.find((x) => x.npn === '1002' && x.productId === l2.productId)!;
    a.commissionLevelId = l2.id;
    const result = await downline('apply', '--auto-approve', '--report', 'report.json');
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    const failed = report.results.find((r: { outcome: string }) => r.outcome === 'failed');
    expect(failed.error).toContain('Commission level is used by 1 contract assignment(s).');
  });
});
