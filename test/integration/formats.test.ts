import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const quickstart = example('quickstart');
const broken = () => {
  writeFileSync(join(sandbox.dir.path, 'broken.yaml'), 'version: 1\ncarriers:\n  - name: [Acme\n');
  return 'broken.yaml';
};

/** Machine output: stdout is exactly one JSON document. */
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

describe('--format json: stdout is always one parseable document', () => {
  it('validate: valid and invalid', async () => {
    expect(json((await downline('validate', '--format', 'json', quickstart)).stdout).diagnostics).toEqual([]);
    const bad = await downline('validate', '--format', 'json', broken());
    expect(bad.code).toBe(1);
    expect(json(bad.stdout).diagnostics[0].source).toMatchObject({ file: 'broken.yaml', line: 4 });
  });

  it('plan: the plan, and for a YAML error the diagnostics (exit 1), on stdout', async () => {
    expect(json((await downline('plan', '--format', 'json', quickstart)).stdout).summary.create).toBe(7);
    const bad = await downline('plan', '--format', 'json', broken());
    expect(bad.code).toBe(1);
    expect(json(bad.stdout).diagnostics[0]).toMatchObject({ severity: 'error', source: { file: 'broken.yaml', line: 4 } });
    expect(bad.stderr).toBe('');
  });

  it('apply: the apply report; the plan and progress go to stderr', async () => {
    const first = await downline('apply', '--auto-approve', '--format', 'json', quickstart);
    expect(first.code).toBe(0);
    expect(json(first.stdout)).toMatchObject({ formatVersion: 1, tool: 'downline', summary: { created: 7, failed: 0 } });
    expect(first.stderr).toContain('Plan: 7 to create');
    const again = await downline('apply', '--auto-approve', '--format', 'json', quickstart);
    expect(json(again.stdout)).toMatchObject({ summary: { succeeded: 0 }, results: [] });
    const bad = await downline('apply', '--auto-approve', '--format', 'json', broken());
    expect(json(bad.stdout).diagnostics).toHaveLength(1);
    const refused = await downline('apply', '--format', 'json', quickstart.replace('quickstart', 'agency'));
    expect(refused.code).toBe(1);
    expect(json(refused.stdout)).toMatchObject({ status: 'refused', reasons: ['not approved: no --auto-approve and no terminal to ask'] });
  });

  it('plan: a failed plan says so (status failed, the errors as reasons); markdown keeps its warnings; apply prints the report', async () => {
    writeFileSync(join(sandbox.dir.path, 'failed.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels:\n          - { name: L1, type: percent, firstYearValue: 50 }\nassignments:\n  - { npn: "1001", carrier: Acme, product: Term, commissionLevel: L1, upline: "999" }\n');
    const plan = await downline('plan', '--format', 'json', 'failed.yaml');
    expect(plan.code).toBe(1);
    const doc = json(plan.stdout);
    expect(doc.status).toBe('failed');
    expect(doc.reasons).toHaveLength(1);
    expect(doc.reasons[0]).toContain('upline 999 of producer 1001 holds no contract assignment');
    const warnings = doc.diagnostics.filter((d: { severity: string }) => d.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    const markdown = await downline('plan', '--format', 'markdown', 'failed.yaml');
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain(`> [!NOTE]\n> ${warnings.length} warning(s):`);
    expect(markdown.stdout).toContain(warnings[0].message);
    expect(markdown.stdout).not.toContain('to create');
    const applied = await downline('apply', '--auto-approve', '--format', 'json', '--report', 'failed-report.json', 'failed.yaml');
    expect(applied.code).toBe(1);
    expect(json(applied.stdout)).toMatchObject({ status: 'refused', reasons: doc.reasons, results: [] });
    expect(applied.stdout).toBe(readFileSync(join(sandbox.dir.path, 'failed-report.json'), 'utf8'));
  });

  it('export: the config as data, with its warnings', async () => {
    await downline('apply', '--auto-approve', quickstart);
    const result = await downline('export', '--format', 'json');
    expect(result.code).toBe(0);
    const doc = json(result.stdout);
    expect(doc.formatVersion).toBe(1);
    expect(doc.warnings.map((w: { message: string }) => w.message)).toContain("invitations are exported as the contract assignments they created: a producer's e-mail and name are not part of an assignment");
    expect(doc.config.carriers[0].name).toBe('Acme Insurance Company');
    // The YAML export is unchanged.
    expect((await downline('export', '--format', 'yaml')).stdout).toContain('# Exported by downline');
  });

  it('hierarchy, and any command that fails with an error: a diagnostics document', async () => {
    const result = await downline('hierarchy', '--org', '00000000-0000-4000-8000-000000000000', '--format', 'json');
    expect(() => json(result.stdout)).not.toThrow();
    const noCredentials = await run(['plan', '--env', 'sandbox', '--format', 'json', quickstart], { cwd: sandbox.dir.path, env: {} });
    expect(noCredentials.code).toBe(1);
    expect(json(noCredentials.stdout).diagnostics[0].message).toContain('needs AGENTSYNC_CLIENT_ID');
  });

  it.each([['validate', 'markdown'], ['apply', 'markdown'], ['export', 'markdown'], ['export', 'github'], ['hierarchy', 'text']])('%s rejects --format %s', async (command, format) => {
    const result = await downline(command, '--format', format);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`argument '${format}' is invalid. Allowed choices are`);
    expect(sandbox.em.log).toEqual([]);
  });
});
