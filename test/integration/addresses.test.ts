import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

/**
 * Names may hold any character: an address is the identity's parts, encoded by one pair of
 * functions, so `A/B` + `C` and `A` + `B/C` are two products, not one.
 */
const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

const CONFIG = `version: 1
agency: { organizationId: 6f1c1c9e-6b0a-4b7e-9a51-0c2f4a1e9d10 }
carriers:
  - name: A/B
    products:
      - name: C
        lineOfBusiness: Life
        commissionLevels: [{ name: "x@y#1", type: percent, firstYearValue: 50, level: 1 }]
  - name: A
    products:
      - name: B/C
        lineOfBusiness: Life
        commissionLevels: [{ name: "x@y#1", type: percent, firstYearValue: 50, level: 1 }]
  - name: "Quote \\" and \\\\ back"
    products:
      - name: "Line\\nbreak  "
        lineOfBusiness: Life
        commissionLevels: [{ name: Über 1, type: percent, firstYearValue: 50, level: 1 }]
assignments:
  - { npn: "17100001", carrier: A/B, product: C, commissionLevel: "x@y#1" }
  - { npn: "17100001", carrier: A, product: B/C, commissionLevel: "x@y#1" }
  - { npn: "17100001", carrier: "Quote \\" and \\\\ back", product: "Line\\nbreak  ", commissionLevel: Über 1 }
`;

interface JsonPlan { changes: Array<{ address: { kind: string; key: string }; action: string }> }

describe('addresses: any character in a name round-trips', () => {
  it('a carrier A/B with product C and a carrier A with product B/C are two objects in validate, plan, apply and --target', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG);
    const validated = await downline('validate', 'downline.yaml');
    expect(validated.stderr + validated.stdout).not.toMatch(/duplicate/i);
    expect(validated.code).toBe(0);

    const plan = JSON.parse((await downline('plan', 'downline.yaml', '--format', 'json')).stdout) as JsonPlan;
    const keys = plan.changes.map((c) => `${c.address.kind}.${c.address.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([
      'product."A/B"/C', 'product.A/"B/C"',
      'commissionLevel."A/B"/C/"x@y#1"', 'commissionLevel.A/"B/C"/"x@y#1"',
      'assignment.17100001@"A/B"/C', 'assignment.17100001@A/"B/C"',
      'product."Quote \\" and \\\\ back"/"Line\\nbreak  "',
    ]));

    const applied = await downline('apply', '--auto-approve', 'downline.yaml');
    expect(applied.code, applied.stderr).toBe(0);
    expect(sandbox.em.store.data.products.map((p) => p.name).sort()).toEqual(['B/C', 'C', 'Line\nbreak  ']);
    expect(sandbox.em.store.data.assignments).toHaveLength(3);
    const again = await downline('plan', 'downline.yaml', '--detailed-exitcode');
    expect(again.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');
    expect(again.code).toBe(0);
  });

  it('--target takes the encoded address and picks exactly one of two look-alike products', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG);
    const plan = await downline('plan', 'downline.yaml', '--target', 'product.A/"B/C"', '--format', 'json');
    expect(plan.code, plan.stderr).toBe(0);
    const keys = (JSON.parse(plan.stdout) as JsonPlan).changes.map((c) => `${c.address.kind}.${c.address.key}`);
    expect(keys).toEqual(['carrier.A', 'product.A/"B/C"']);
    // A redundantly quoted part is the same address.
    const quoted = await downline('plan', 'downline.yaml', '--target', 'product."A"/"B/C"', '--format', 'json');
    expect((JSON.parse(quoted.stdout) as JsonPlan).changes.map((c) => `${c.address.kind}.${c.address.key}`)).toEqual(keys);
    // The unquoted form is ambiguous: it matches nothing and the hint names both look-alikes.
    const ambiguous = await downline('plan', 'downline.yaml', '--target', 'product.A/B/C');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stdout + ambiguous.stderr).toContain('--target product.A/B/C names 2 objects: product."A/B"/C, product.A/"B/C"');
    expect(ambiguous.stdout + ambiguous.stderr).toContain('e.g. --target \'product."A/B"/C\'');
    const assignment = await downline('plan', 'downline.yaml', '--target', 'assignment.17100001@A/B/C');
    expect(assignment.stdout).toContain('e.g. --target \'assignment.17100001@"A/B"/C\'');
    // Typed without quotes, a name with `@` in it still matches when nothing else reads that way.
    const level = await downline('plan', 'downline.yaml', '--target', 'commissionLevel.A/B/C/x@y#1', '--format', 'json');
    expect(level.stdout).toContain('names 2 objects');
    const unique = await downline('plan', 'downline.yaml', '--target', 'commissionLevel.Quote " and \\ back/Line\nbreak  /Über 1', '--format', 'json');
    expect(unique.code, unique.stdout).toBe(0);
    expect((JSON.parse(unique.stdout) as JsonPlan).changes.at(-1)!.address.key).toBe('"Quote \\" and \\\\ back"/"Line\\nbreak  "/Über 1');
    const plain = await downline('plan', 'downline.yaml', '--target', 'assignment.17100001@"Quote \\" and \\\\ back"/"Line\\nbreak  "', '--format', 'json');
    expect(plain.code, plain.stdout).toBe(0);
    expect((JSON.parse(plain.stdout) as JsonPlan).changes.map((c) => c.address.kind)).toEqual(['carrier', 'product', 'commissionLevel', 'assignment']);
  });

  it('text and markdown plans show the two look-alike products apart', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG);
    const text = (await downline('plan', 'downline.yaml')).stdout;
    expect(text).toContain('+ product "A/B" / "C"');
    expect(text).toContain('+ product "A" / "B/C"');
    const markdown = (await downline('plan', 'downline.yaml', '--format', 'markdown')).stdout;
    expect(markdown).toContain('product "A/B" / "C"');
    expect(markdown).toContain('product "A" / "B/C"');
    // Diagnostics name products the way the plan rows do.
    expect(text).toContain('licences not checked for "A/B" / "C"');
    expect(text).toContain('licences not checked for "A" / "B/C"');
  });
});
