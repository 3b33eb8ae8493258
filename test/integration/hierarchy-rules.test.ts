import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';
import { treeConfig } from '../fixtures/hierarchy/tree.js';

const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

interface Finding { severity: string; message: string; hint?: string; source: { file: string; line: number; column: number } }

const entry = (npn: string, level: string, upline?: string, more = '') => `  - npn: "${npn}"
    carrier: Acme Life
    product: Term 10
    commissionLevel: ${level}
${upline ? `    upline: "${upline}"\n` : ''}${more}`;

/** 1-based line and column of the first `needle` in `text`. */
function at(text: string, needle: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(needle));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

async function validate(text: string): Promise<{ code: number; findings: Finding[] }> {
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
  const result = await downline('validate', '--format', 'json');
  return { code: result.code, findings: JSON.parse(result.stdout).diagnostics };
}

/** Each rule broken alone: the extra entries, where the one finding must be, its level and words. */
const CASES = [
  {
    rule: 'levelNotAboveUpline', level: 'error',
    extra: '  - npns: ["306", "310"]\n    carrier: Acme Life\n    product: Term 10\n    commissionLevel: Street\n    upline: "200"\n'
      + '  - npns: ["311"]\n    carrier: Acme Life\n    product: Term 10\n    commissionLevel: Agency\n    upline: "200"\n',
    where: '"311"', words: ['producer 311', '"Agency" (100)', 'upline 200', '"Manager" (90)'],
  },
  {
    rule: 'statesWithinUpline', level: 'warning', extra: entry('306', 'Street', '201', '    administrativeDivisions: [CA, NY]\n'),
    where: '- npn: "306"', words: ['producer 306 covers NY', 'its upline 201 does not cover (CA, TX)'],
  },
  {
    rule: 'activeUnderTerminated', level: 'error', extra: entry('202', 'Manager', '100', '    status: TERMINATED\n') + entry('306', 'Street', '202'),
    where: '- npn: "306"', words: ['producer 306 is active under 202', 'is TERMINATED'],
  },
  {
    rule: 'noCycles', level: 'error', extra: entry('500', 'Street', '502') + entry('501', 'Street', '500') + entry('502', 'Street', '501'),
    where: '- npn: "500"', words: ['upline cycle on "Acme Life / Term 10": 500 → 502 → 501 → 500'],
  },
];

describe('hierarchy rules in validate (offline, both ends declared)', () => {
  it('the declared three-level tree breaks no rule', async () => {
    expect(await validate(treeConfig())).toEqual({ code: 0, findings: [] });
  });

  it.each(CASES)('$rule: one finding at the entry, at its level; rules: off silences it', async ({ rule, level, extra, where, words }) => {
    const text = treeConfig({ extra });
    const { code, findings } = await validate(text);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    const position = at(text, where);
    expect(finding.source).toEqual({ file: 'downline.yaml', line: position.line, column: position.column + (where.startsWith('- ') ? 2 : 0) });
    expect(finding.severity).toBe(level);
    expect(finding.message).toContain(`[${rule}]`);
    for (const w of words) expect(finding.message).toContain(w);
    expect(finding.hint).toBeTruthy();
    expect(code).toBe(level === 'error' ? 1 : 0);

    const other = level === 'error' ? 'warning' : 'error';
    const relevelled = await validate(treeConfig({ extra, rules: `rules:\n  ${rule}: ${other}` }));
    expect(relevelled.findings.map((f) => f.severity)).toEqual([other]);
    expect(await validate(treeConfig({ extra, rules: `rules: { ${rule}: off }` }))).toEqual({ code: 0, findings: [] });
  });

  it('a producer that is its own upline is a cycle of one', async () => {
    const { findings } = await validate(treeConfig({ extra: entry('306', 'Street', '306') }));
    expect(findings.map((f) => f.message)).toEqual(['producer 306 is its own upline on "Acme Life / Term 10" [noCycles]']);
  });

  it('a typo in rules: is an error with a suggestion', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), treeConfig({ rules: 'rules: { noCycle: off, uplineExists: fatal }' }));
    const result = await downline('validate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown key "noCycle" in rules');
    expect(result.stderr).toContain('did you mean "noCycles"');
    expect(result.stderr).toContain('uplineExists "fatal" is not an allowed value (one of: error, warning, off)');
  });
});

describe('hierarchy rules in plan (against live assignments)', () => {
  it('an upline declared nowhere but live on the product passes; one that is neither fails the plan with exit 1 and zero writes', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), treeConfig());
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    // 201 now lives only in the account: the config keeps its downlines but no longer declares it.
    const without201 = treeConfig().replace('npns: ["200", "201"]', 'npns: ["200"]');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), `${without201}${entry('306', 'Street', '201')}`);
    expect((await downline('validate')).code).toBe(0);
    const live = await downline('plan', '--detailed-exitcode');
    expect(live.code).toBe(2);
    expect(live.stderr + live.stdout).not.toContain('uplineExists');

    const text = `${treeConfig()}${entry('306', 'Street', '999')}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    expect((await downline('validate')).code).toBe(0);
    sandbox.em.log.length = 0;
    const plan = await downline('plan');
    expect(plan.code).toBe(1);
    const position = at(text, '- npn: "306"');
    expect(plan.stdout).toContain(`downline.yaml:${position.line}:${position.column + 2}: error: upline 999 of producer 306 holds no contract assignment on "Acme Life / Term 10", declared or live [uplineExists]`);
    const apply = await downline('apply', '--auto-approve');
    expect(apply.code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), treeConfig({ rules: 'rules: { uplineExists: warning }' }) + entry('306', 'Street', '999'));
    expect((await downline('plan')).stdout).toContain('warning: upline 999 of producer 306');
  });

  it('checks a declared position against a live-only upline: level, states and status', async () => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), treeConfig());
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const manager = sandbox.em.store.data.assignments.find((a) => a.npn === '201')!;
    manager.assignmentStatusId = (await import('../../src/emulator/lookups.js')).STATUS_BY_NAME.get('TERMINATED')!.id;
    const text = `${treeConfig().replace('npns: ["200", "201"]', 'npns: ["200"]')}${entry('306', 'Agency', '201', '    administrativeDivisions: [CA, FL]\n')}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    expect((await downline('validate')).code).toBe(0);
    const plan = await downline('plan', '--format', 'json');
    expect(plan.code).toBe(1);
    const found = (JSON.parse(plan.stdout).diagnostics as Finding[]).map((f) => `${f.source.line} ${f.severity} ${f.message.replace(/.*\[(\w+)\]$/, '$1')}`).sort();
    const line = at(text, '- npn: "306"').line;
    // 303–305 sit under 201 in the config too: each is active under a terminated upline.
    const under201 = ['303', '304', '305'].map((n) => `${at(text, `- npn: "${n}"`).line} error activeUnderTerminated`);
    expect(found).toEqual([...under201, `${line} error activeUnderTerminated`, `${line} error levelNotAboveUpline`, `${line} warning statesWithinUpline`].sort());
  });
});
