import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, token, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

/**
 * The outputs users read, pinned byte for byte (colourless): a change of wording or layout shows up
 * as a reviewed diff of test/golden/, not as an accident. `npx vitest run test/integration/golden -u`
 * rewrites them after an intended change.
 */
const sandbox = useSandbox();
const EXAMPLES = ['quickstart', 'agency', 'split', 'roster'];
const FORMATS = { text: 'txt', markdown: 'md', json: 'json' } as const;

const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

/** What differs between runs: the emulator's ids, hashes of live objects, the tool's version. */
function stable(out: string): string {
  return out
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/"fingerprint": "[0-9a-f]+"/g, '"fingerprint": "<hash>"')
    .replace(/\b[0-9a-f]{24}\b/g, '<turris-id>')
    .replace(/"toolVersion": "[^"]+"/g, '"toolVersion": "<version>"');
}

const golden = (name: string) => join(import.meta.dirname, '..', 'golden', name);

async function planAll(dir: string, stem: string): Promise<void> {
  for (const [format, ext] of Object.entries(FORMATS)) {
    const r = await downline('plan', dir, '--format', format);
    expect(r.code, r.stderr).toBe(0);
    await expect(stable(r.stdout)).toMatchFileSnapshot(golden(`${stem}.${ext}`));
  }
}

describe('golden outputs of every example', () => {
  for (const name of EXAMPLES) {
    it(`${name}: plans from an empty account, and the export once applied`, async () => {
      cpSync(example(name), join(sandbox.dir.path, name), { recursive: true });
      await planAll(name, `${name}.plan-create`);
      expect((await downline('apply', '--auto-approve', name)).code).toBe(0);
      const exported = await downline('export');
      expect(exported.code, exported.stderr).toBe(0);
      await expect(stable(exported.stdout)).toMatchFileSnapshot(golden(`${name}.export.yaml`));
    });
  }

  it('agency: a plan with updates and unmanaged objects after changes made outside downline', async () => {
    cpSync(example('agency'), join(sandbox.dir.path, 'agency'), { recursive: true });
    expect((await downline('apply', '--auto-approve', 'agency')).code).toBe(0);
    const t = await token(sandbox.em);
    const data = sandbox.em.store.data;
    expect((await call(sandbox.em, t, 'PUT', `/v1/customers/commissionLevels/${data.levels[0].id}`, { firstYearValue: 42 })).status).toBe(200);
    // An assignment moved to another level of its product, and one made in the portal (unmanaged).
    const assignment = data.assignments[0];
    const other = data.levels.find((l) => l.productId === assignment.productId && l.id !== assignment.commissionLevelId)!;
    expect((await call(sandbox.em, t, 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, { commissionLevelId: other.id })).status).toBe(200);
    expect((await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: '19999999', productId: other.productId, commissionLevelId: other.id })).status).toBe(201);
    await planAll('agency', 'agency.plan-drift');
  });
});
