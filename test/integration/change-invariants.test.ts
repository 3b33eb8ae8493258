import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/types.js';
import { call, envFor, token, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

/** The invariants types.ts documents for every Change, checked on real plans rather than trusted. */
function broken(c: Change): string[] {
  const where = `${c.address.kind}.${c.address.key} (${c.action})`;
  const rules: Array<[boolean, string]> = [
    [(c.before === null) === (c.action === 'create'), 'before is null iff create'],
    [(c.after === null) === (c.action === 'delete'), 'after is null iff delete'],
    [(c.fields.length > 0) === (c.action === 'update' || c.action === 'terminate'), 'fields non-empty iff update or terminate'],
    [(c.operation === null) === (c.action === 'noop'), 'operation is null iff noop'],
    [(c.liveId === null) === (c.action === 'create'), 'liveId is null iff create'],
    [(c.fingerprint === null) === (c.action === 'create'), 'fingerprint is null iff create'],
  ];
  return rules.filter(([holds]) => !holds).map(([, rule]) => `${where}: ${rule}`);
}

const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

async function changesOf(...args: string[]): Promise<Change[]> {
  const r = await downline('plan', ...args, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { changes: Change[] }).changes;
}

describe('every change of every example plan keeps the Change invariants', () => {
  for (const name of ['quickstart', 'agency', 'split', 'roster']) {
    it(`${name}: creates; updates and no-ops once applied; deletes and terminations when pruned`, async () => {
      cpSync(example(name), join(sandbox.dir.path, name), { recursive: true });
      const all: Change[] = [...(await changesOf(name))];
      expect((await downline('apply', '--auto-approve', name)).code).toBe(0);
      const t = await token(sandbox.em);
      expect((await call(sandbox.em, t, 'PUT', `/v1/customers/commissionLevels/${sandbox.em.store.data.levels[0].id}`, { firstYearValue: 42 })).status).toBe(200);
      all.push(...(await changesOf(name, '--verbose')));
      // Objects made outside downline under a declared product: pruned, they are deleted or terminated.
      const product = sandbox.em.store.data.products[0];
      const level = (await call(sandbox.em, t, 'POST', `/v1/customers/${product.id}/commissionLevels`, { name: 'Portal level', type: 'Percent', firstYearValue: 1 })).body as { id: string };
      expect((await call(sandbox.em, t, 'POST', '/v1/customers/contractAssignments', { npn: '19999999', productId: product.id, commissionLevelId: level.id })).status).toBe(201);
      const file = join(sandbox.dir.path, name, existsSync(join(sandbox.dir.path, name, 'carriers.yaml')) ? 'carriers.yaml' : 'downline.yaml');
      const text = readFileSync(file, 'utf8');
      for (const assignments of ['true', 'terminate']) {
        writeFileSync(file, `${text}\nprune: { commissionLevels: true, assignments: ${assignments} }\n`);
        const pruned = await changesOf(name, '--verbose');
        expect(pruned.map((c) => c.action)).toContain(assignments === 'true' ? 'delete' : 'terminate');
        all.push(...pruned);
      }
      expect(new Set(all.map((c) => c.action))).toEqual(new Set(['create', 'update', 'noop', 'delete', 'terminate']));
      expect(all.flatMap(broken)).toEqual([]);
      expect(all.length).toBeGreaterThan(5);
    });
  }
});
