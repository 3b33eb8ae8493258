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

  it('activeUnderTerminated sees until: — an upline past its until: with a downline still active under it fails validate (declared) and plan (live-only downline), zero writes', async () => {
    const upline = (until?: string) => entry('800', 'Agency', undefined, until ? `    until: ${until}\n` : '');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), `${treeConfig()}${upline()}${entry('801', 'Street', '800')}`);
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const text = `${treeConfig()}${upline('2026-11-01')}${entry('801', 'Street', '800')}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    const where = at(text, '- npn: "801"');
    const finding = `downline.yaml:${where.line}:${where.column + 2}: error: producer 801 is active under 800, whose position on "Acme Life / Term 10" is TERMINATED from 2026-11-01 (until:) [activeUnderTerminated]`;
    const checked = await downline('validate');
    expect(checked.code).toBe(1);
    expect(checked.stderr + checked.stdout).toContain(finding);
    sandbox.em.log.length = 0;
    const plan = await downline('plan', '--as-of', '2026-11-25');
    expect(plan.code).toBe(1);
    expect(plan.stderr + plan.stdout).toContain(finding);
    expect((await downline('apply', '--auto-approve', '--as-of', '2026-11-25')).code).toBe(1);
    // 801 only live: the plan finds it, at the entry of the upline that ends.
    const liveOnly = `${treeConfig()}${upline('2026-11-01')}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), liveOnly);
    expect((await downline('validate')).code).toBe(0);
    const live = await downline('plan', '--as-of', '2026-11-25');
    expect(live.code).toBe(1);
    const up = at(liveOnly, '- npn: "800"');
    expect(live.stderr + live.stdout).toContain(`downline.yaml:${up.line}:${up.column + 2}: error: producer 801 is active under 800, whose position on "Acme Life / Term 10" is TERMINATED from 2026-11-01 (until:) [activeUnderTerminated]`);
    expect((await downline('apply', '--auto-approve', '--as-of', '2026-11-25')).code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
  });

  it('activeUnderTerminated on each date: a move effective after its new upline\'s until: fails; a termination while a downline\'s move away still waits fails the plan', async () => {
    const moveLater = `${treeConfig()}${entry('800', 'Agency', undefined, '    until: 2026-12-31\n')}${entry('801', 'Street', '800', '    effective: 2027-01-15\n')}`;
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), moveLater);
    const validate = await downline('validate');
    expect(validate.code).toBe(1);
    expect(validate.stderr + validate.stdout).toContain('error: producer 801 is active under 800 from 2027-01-15, whose position on "Acme Life / Term 10" is TERMINATED from 2026-12-31 (until:) [activeUnderTerminated]');

    // 303 leaves 201 only on 2027-01-01, but 201 is terminated today: until January 303 sits under a terminated position.
    const moved = treeConfig({ move: { 303: '200', 304: '200', 305: '200' } });
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), treeConfig());
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const text = `${moved.replace('npns: ["200", "201"]', 'npns: ["200"]')
      .replace('  - npn: "303"\n    carrier: Acme Life\n    product: Term 10\n    commissionLevel: Street\n    upline: "200"\n', (e) => `${e}    effective: 2027-01-01\n`)}${entry('201', 'Manager', '100', '    status: TERMINATED\n')}`;
    expect(text).toContain('effective: 2027-01-01');
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
    expect((await downline('validate')).code).toBe(0);
    sandbox.em.log.length = 0;
    const plan = await downline('plan', '--as-of', '2026-12-01');
    expect(plan.code).toBe(1);
    const where = at(text, '- npn: "303"');
    expect(plan.stderr + plan.stdout).toContain(`downline.yaml:${where.line}:${where.column + 2}: error: producer 303 stays active under 201 until its entry takes effect on 2027-01-01, and the position of 201 on "Acme Life / Term 10" is TERMINATED [activeUnderTerminated]`);
    expect((await downline('apply', '--auto-approve', '--as-of', '2026-12-01')).code).toBe(1);
    expect(writes(sandbox.em)).toEqual([]);
    // From 2027-01-01 the move is due with the termination: nothing sits under 201 any more.
    expect((await downline('plan', '--as-of', '2027-01-01')).code).toBe(0);
  });
});
