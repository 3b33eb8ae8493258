import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

/** One product with `n` levels whose firstYearValue all come from one variable: the mass-update trap. */
const config = (n: number, fixed = 0) => [
  'version: 1',
  'variables: [FYV]',
  'carriers:',
  '  - name: Acme',
  '    products:',
  '      - name: Term',
  '        lineOfBusiness: Life',
  '        commissionLevels:',
  // Block style: `${…}` inside a flow mapping is another issue's business.
  ...Array.from({ length: n }, (_, i) => [`          - name: L${i + 1}`, '            type: percent', `            firstYearValue: ${i < fixed ? '70' : '${env:FYV}'}`, `            level: ${i + 1}`]).flat(),
  '',
].join('\n');

const downline = (fyv: string, ...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em, { FYV: fyv }) });

describe('--max-update-percent', () => {
  beforeEach(async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config(12));
    expect((await downline('50', 'apply', '--auto-approve')).code).toBe(0);
    sandbox.em.log.length = 0;
  });

  it('a change to every level blocks plan (exit 3 with --detailed-exitcode) and apply (exit 3, nothing written)', async () => {
    const plan = await downline('60', 'plan', '--detailed-exitcode');
    expect(plan.code).toBe(3);
    expect(plan.stderr).toContain('12 of 12 live commissionLevel objects (100.0%) would be updated, over --max-update-percent 30');
    const apply = await downline('60', 'apply', '--auto-approve');
    expect(apply.code).toBe(3);
    expect(apply.stderr).toContain('Nothing was written');
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('--force, or a higher limit, lets it through', async () => {
    expect((await downline('60', 'plan', '--detailed-exitcode', '--max-update-percent', '100%')).code).toBe(2);
    const apply = await downline('60', 'apply', '--auto-approve', '--force');
    expect(apply.code).toBe(0);
    expect(sandbox.em.store.data.levels.every((l) => l.firstYearValue === 60)).toBe(true);
  });

  it('stays quiet under the limit and below the floor of 10 live objects', async () => {
    const { em } = sandbox;
    // 3 of 12 levels (25%) under the default 30%.
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config(12, 3));
    expect((await downline('50', 'plan', '--detailed-exitcode')).code).toBe(2);
    // 9 levels, all updated: below the floor the percentage says little.
    em.store.data.levels.splice(9);
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), config(9));
    expect((await downline('70', 'plan', '--detailed-exitcode')).code).toBe(2);
  });

  it('rejects a value that is not a percentage instead of disabling the guard', async () => {
    const result = await downline('60', 'plan', '--max-update-percent', 'thirty');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--max-update-percent');
    expect(result.stderr).toContain('is not a percentage (write 20 or 20%)');
  });
});
