import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, token, useSandbox, writes } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

/** The API keeps neither product nor level names unique: a second one of a declared name is ambiguous. */
const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const PRODUCT = 'Term Life — Standard';

async function quickstart(): Promise<{ t: string; carrierId: string; productId: string }> {
  expect((await downline('apply', '--auto-approve', example('quickstart'))).code).toBe(0);
  const data = sandbox.em.store.data;
  return { t: await token(sandbox.em), carrierId: data.carriers[0].id, productId: data.products.find((p) => p.name === PRODUCT)!.id };
}

/** The quick-start config with one more level, so an apply would have something to write under the product. */
function configWithNewLevel(): string {
  const text = readFileSync(join(example('quickstart'), 'downline.yaml'), 'utf8')
    .replace('          - { name: Level 3 — 65%', '          - { name: Level 4 — 70%, type: percent, firstYearValue: 70, level: 4 }\n          - { name: Level 3 — 65%');
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
  return 'downline.yaml';
}

describe('duplicates in the live account', () => {
  it('a second product of a declared name: the plan names both ids and fails; apply writes nothing', async () => {
    const { t, carrierId, productId } = await quickstart();
    const lob = sandbox.em.store.data.products[0].lineOfBusinessId;
    const second = (await call(sandbox.em, t, 'POST', `/v1/customers/carriers/${carrierId}/products`, { name: PRODUCT, lineOfBusinessId: lob })).body as { id: string };
    const file = configWithNewLevel();

    const plan = await downline('plan', file, '--format', 'json');
    expect(plan.code).toBe(1);
    const errors = (JSON.parse(plan.stdout) as { diagnostics: Array<{ severity: string; message: string; source?: { line: number } }> }).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({
      message: `product "Acme Insurance Company / ${PRODUCT}" exists 2 times in the live account: ${productId} (in carrier ${carrierId}), ${second.id} (in carrier ${carrierId}); downline will not pick one`,
      source: expect.objectContaining({ file: 'downline.yaml', line: 21 }),
    })]);

    const before = writes(sandbox.em).length;
    const apply = await downline('apply', file, '--auto-approve');
    expect(apply.code).toBe(1);
    expect(apply.stdout + apply.stderr).toContain(`${productId} (in carrier ${carrierId}), ${second.id} (in carrier ${carrierId})`);
    expect(apply.stdout + apply.stderr).not.toContain('Apply complete');
    expect(writes(sandbox.em).length).toBe(before);
  });

  it('a second level of a declared name is reported with both ids and the product it is in', async () => {
    const { t, productId } = await quickstart();
    const first = sandbox.em.store.data.levels.find((l) => l.name === 'Level 2 — 60%')!;
    const second = (await call(sandbox.em, t, 'POST', `/v1/customers/${productId}/commissionLevels`, { name: 'Level 2 — 60%', type: 'Percent', firstYearValue: 61 })).body as { id: string };
    const plan = await downline('plan', example('quickstart'));
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`error: commission level "Acme Insurance Company / ${PRODUCT} / Level 2 — 60%" exists 2 times in the live account: ${first.id} (in product ${productId}), ${second.id} (in product ${productId}); downline will not pick one`);
  });

  it('duplicates of an undeclared name are each unmanaged, and each pruned', async () => {
    const { t, productId } = await quickstart();
    for (let i = 0; i < 2; i++) await call(sandbox.em, t, 'POST', `/v1/customers/${productId}/commissionLevels`, { name: 'Spare', type: 'Percent', firstYearValue: 1 });
    const plan = await downline('plan', example('quickstart'), '--detailed-exitcode');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`  ? commission level "Acme Insurance Company / ${PRODUCT} / Spare"\n  ? commission level "Acme Insurance Company / ${PRODUCT} / Spare#2"\n`);
    expect(plan.stdout).toContain('0 to delete, 2 unmanaged.');

    const config = readFileSync(join(example('quickstart'), 'downline.yaml'), 'utf8');
    writeFileSync(join(sandbox.dir.path, 'pruned.yaml'), `${config}\nprune: { commissionLevels: true }\n`);
    const apply = await downline('apply', 'pruned.yaml', '--auto-approve');
    expect(apply.stdout).toContain('Apply complete: 0 created, 0 updated, 2 deleted');
    expect(sandbox.em.store.data.levels.filter((l) => l.name === 'Spare')).toEqual([]);
  });
});
