import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, envFor, token, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

/**
 * Live data is data: names typed into the portal reach plans, pull-request comments, terminals,
 * workflow logs and exported config. None of them may act as markup, commands or variables.
 */
const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

const PRODUCT = 'Term Life — Standard';

async function productId(): Promise<string> {
  return sandbox.em.store.data.products.find((p) => p.name === PRODUCT)!.id;
}

describe('a live name that looks like a variable', () => {
  it('export → commit → plan → apply never reads, prints or sends the secret it names', async () => {
    expect((await downline('apply', '--auto-approve', example('quickstart'))).code).toBe(0);
    const secret = sandbox.em.credentials.clientSecret;
    const t = await token(sandbox.em);
    const hostile = '${env:AGENTSYNC_CLIENT_SECRET}';
    expect((await call(sandbox.em, t, 'POST', `/v1/customers/${await productId()}/commissionLevels`, { name: hostile, type: 'Percent', firstYearValue: 10 })).status).toBe(201);

    const exported = await downline('export', '--out', 'exported.yaml');
    expect(exported.code).toBe(0);
    const text = readFileSync(join(sandbox.dir.path, 'exported.yaml'), 'utf8');
    expect(text).toContain('name: $${env:AGENTSYNC_CLIENT_SECRET}');

    const plan = await downline('plan', 'exported.yaml', '--detailed-exitcode', '--verbose');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`commission level "Acme Insurance Company / ${PRODUCT} / ${hostile}"`);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');

    // A reviewed change to that level: the PUT carries the literal name, never the secret.
    writeFileSync(join(sandbox.dir.path, 'exported.yaml'), text.replace(/(name: \$\$\{env:AGENTSYNC_CLIENT_SECRET\}\n\s+type: percent\n\s+firstYearValue: )10/, '$112'));
    const applied = await downline('apply', 'exported.yaml', '--auto-approve');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('1 updated');
    const level = sandbox.em.store.data.levels.find((l) => l.firstYearValue === 12)!;
    expect(level.name).toBe(hostile);
    for (const out of [exported, plan, applied]) expect(out.stdout + out.stderr).not.toContain(secret);
    expect(JSON.stringify(sandbox.em.store.data)).not.toContain(secret);
  });
});
