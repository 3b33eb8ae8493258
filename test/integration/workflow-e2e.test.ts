import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterWorkflow } from '../../src/commands/init-roster.js';
import { EMULATOR_USER_HEADER } from '../../src/emulator/routes/assignments.js';
import { call, startEmulator, token, writes, type Emulator } from '../helpers/emulator.js';
import { ROOT, run, tempDir } from '../helpers/run.js';
import { fakeGh, parseWorkflow, runJob, type JobRun, type Workflow } from '../helpers/workflow.js';

/**
 * The pull-request loop as a team runs it: `init` into a new repository with downline from an
 * `npm pack` tarball, `npm install` once to pin it, then the generated workflow's own `run:` steps,
 * job by job, against the emulator standing in for production (AGENTSYNC_BASE_URL / TOKEN_URL and
 * the client credentials as repository secrets).
 */
let scratch: { path: string; cleanup: () => Promise<void> };
let em: Emulator;
let repo: string;
let workflow: Workflow;
let jobCount = 0;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const commit = (message: string) => {
  git('add', '-A');
  git('-c', 'user.name=Ops', '-c', 'user.email=ops@agency.example', 'commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
};
const npmEnv = () => ({ PATH: `${join(scratch.path, 'bin')}:${process.env.PATH}`, HOME: process.env.HOME ?? '/root', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

/** A branch's first push has no `before`: GitHub sends forty zeros. */
const parentOf = (sha: string) => {
  try {
    return git('rev-parse', '--verify', '-q', `${sha}~1`);
  } catch {
    return '0'.repeat(40);
  }
};

function job(name: string, sha: string, extraEnv: Record<string, string> = {}, o: { flow?: Workflow; runId?: string } = {}): Promise<JobRun> {
  const context = {
    'secrets.AGENTSYNC_CLIENT_ID': em.credentials.clientId,
    'secrets.AGENTSYNC_CLIENT_SECRET': em.credentials.clientSecret,
    'secrets.TURRIS_CLIENT_ID': '',
    'secrets.TURRIS_CLIENT_SECRET': '',
    'vars.AGENTSYNC_ORG_ID': '',
    'github.token': 'gh-token',
    'github.repository': 'acme/contracting',
    'github.event.pull_request.number': '7',
    'github.event.pull_request.head.sha': sha,
    // The base of the pull request and the `before` of the push: the commit before this one.
    'github.event.pull_request.base.sha': parentOf(sha),
    'github.event.before': parentOf(sha),
    'github.run_id': o.runId ?? '99',
    'github.ref_name': 'main',
  };
  const env = { ...npmEnv(), AGENTSYNC_BASE_URL: em.baseUrl, AGENTSYNC_TOKEN_URL: em.tokenUrl, ...extraEnv };
  return runJob(o.flow ?? workflow, name, { repo, commit: sha, dir: join(scratch.path, 'runs', `${++jobCount}-${name}`), env, context });
}
const codes = (r: JobRun) => Object.fromEntries(r.steps.map((s) => [s.name, s.code]));
const comment = () => readFileSync(join(scratch.path, 'gh', 'comment.md'), 'utf8');
const ghCalls = () => readFileSync(join(scratch.path, 'gh', 'calls.log'), 'utf8').trim().split('\n');

const NPNS = Array.from({ length: 12 }, (_, i) => `"${10000001 + i}"`);
const config = (o: { fyv?: number; annualization?: string; npns?: string[]; moved?: boolean; legacy?: boolean; naic?: string; agencyFrom?: string } = {}) => `version: 1
prune: { commissionLevels: true, assignments: true }
carriers:
  - name: Example Life Insurance Company
    naic: "${o.naic ?? '12345'}"
    products:
      - name: Term Life 20
        lineOfBusiness: Life
        annualization: ${o.annualization ?? 'Monthly'}
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: ${o.fyv ?? 80}, level: 1 }
          - { name: Agency, type: percent, firstYearValue: ${o.agencyFrom ? `97, effective: ${o.agencyFrom}` : '95'}, level: 2 }
${o.legacy === false ? '' : '          - { name: Legacy, type: percent, firstYearValue: 60, level: 3 }\n'}assignments:
  - npns: [${(o.npns ?? NPNS).filter((n) => !(o.moved && n === NPNS[0])).join(', ')}]
    carrier: Example Life Insurance Company
    product: Term Life 20
    commissionLevel: Street
    status: APPROVED
${o.moved ? `  - { npn: ${NPNS[0]}, carrier: Example Life Insurance Company, product: Term Life 20, commissionLevel: Agency, status: APPROVED }\n` : ''}`;

beforeAll(async () => {
  scratch = await tempDir();
  em = await startEmulator({});
  fakeGh(join(scratch.path, 'bin'), join(scratch.path, 'gh'));
  // The tarball a team vendors, made once for this file (npm pack runs the prepare build).
  mkdirSync(join(scratch.path, 'pack'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', join(scratch.path, 'pack')], { cwd: ROOT, env: { ...process.env, ...npmEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = readdirSync(join(scratch.path, 'pack')).find((f) => f.endsWith('.tgz'))!;
  repo = join(scratch.path, 'contracting');
  mkdirSync(join(repo, 'vendor'), { recursive: true });
  git('init', '-q', '-b', 'main');
  copyFileSync(join(scratch.path, 'pack', tarball), join(repo, 'vendor', tarball));
  expect((await run(['init', '--from', `vendor/${tarball}`], { cwd: repo })).code).toBe(0);
  workflow = parseWorkflow(readFileSync(join(repo, '.github/workflows/downline.yml'), 'utf8'));
  execFileSync('npm', ['install'], { cwd: repo, env: { ...process.env, ...npmEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
}, 300_000);

// Removing a clone and node_modules per job run takes longer than the default hook timeout on a loaded machine.
afterAll(async () => {
  await em?.close();
  await scratch?.cleanup();
}, 120_000);

describe('installing downline from a git URL pinned to a commit', () => {
  it('builds it with the prepare script, and the binary runs on plain node', async () => {
    const team = join(scratch.path, 'from-git');
    mkdirSync(team);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    expect((await run(['init', '--from', `git+file://${ROOT.replace(/\/$/, '')}#${head}`], { cwd: team })).code).toBe(0);
    execFileSync('npm', ['install'], { cwd: team, env: { ...process.env, ...npmEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(execFileSync('node', [join(team, 'node_modules/downline/dist/cli.js'), 'validate'], { cwd: team, encoding: 'utf8' })).toMatch(/^Valid: 1 file\(s\)/);
    const lock = JSON.parse(readFileSync(join(team, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/downline'].resolved).toBe(`git+file://${ROOT.replace(/\/$/, '')}#${head}`);
  }, 300_000);
});

describe('the generated workflow, run step by step', () => {
  it('pins every package in the lockfile with its integrity, downline from the vendored tarball', () => {
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; integrity?: string; link?: boolean }> };
    const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
    expect(installed.length).toBeGreaterThan(5);
    for (const [path, entry] of installed) expect(entry.integrity, path).toMatch(/^sha512-/);
    expect(lock.packages['node_modules/downline'].resolved).toMatch(/^file:vendor\/downline-\d+\.\d+\.\d+\.tgz$/);
  });

  it('PR → merge → daily drift: comments on every outcome, applies the saved plan, catches a hand change', async () => {
    // main: the account as it is, applied by the merge job of the first commit.
    writeFileSync(join(repo, 'downline.yaml'), config());
    const base = commit('contracting config');
    const first = await job('apply', base);
    expect(codes(first), first.steps.map((s) => s.stderr).join('\n')).toEqual({
      'actions/checkout@v4': 0, 'actions/setup-node@v4': 0, 'Install downline (pinned with its integrity in package-lock.json)': 0,
      'Plan this commit': 0, 'Apply exactly that plan (re-derived, refused if anything differs)': 0, 'actions/upload-artifact@v4': 0,
    });
    expect(em.store.data.assignments).toHaveLength(12);

    // A pull request that prunes 3 of 12 contracts is blocked: the comment says so, for that commit.
    git('checkout', '-q', '-b', 'change');
    writeFileSync(join(repo, 'downline.yaml'), config({ npns: NPNS.slice(0, 9) }));
    const blockedSha = commit('drop three producers');
    const blocked = await job('plan', blockedSha);
    expect(codes(blocked).Plan).toBe(3);
    expect(codes(blocked)['Comment on the pull request (one comment, updated in place, on every outcome)']).toBe(0);
    expect(comment()).toMatch(/^<!-- downline-plan -->\n### downline plan \(production\)/);
    expect(comment()).toContain('**Blocked:** 3 of 12 live assignment objects (25.0%) exceed --max-delete-percent 20.');
    expect(comment()).toContain(`Plan of commit ${blockedSha} (exit code 3).`);

    // A broken config: the comment (the same one, updated) says error, with downline's message.
    writeFileSync(join(repo, 'downline.yaml'), config({ naic: '1234567' }));
    const brokenSha = commit('typo');
    const broken = await job('plan', brokenSha);
    expect(codes(broken).Validate).toBe(1);
    expect(codes(broken).Plan).toBe(1);
    expect(comment()).toContain('### downline plan: error');
    expect(comment()).toContain('downline.yaml:5:11: error: naic must be at most 6 characters (got 7)');
    expect(comment()).toContain(`Plan of commit ${brokenSha} (exit code 1).`);

    // The real change: a commission level, a product, an assignment, and a pruned level.
    writeFileSync(join(repo, 'downline.yaml'), config({ fyv: 82.5, annualization: 'Annual', moved: true, legacy: false }));
    const changeSha = commit('raise Street, annual premiums, promote 10000001, retire Legacy');
    const pr = await job('plan', changeSha);
    expect(pr.failed).toBe(false);
    expect(pr.steps.find((s) => s.name === 'Plan')!.stderr).not.toContain('error');
    expect(comment()).toContain('**0 to create, 3 to update, 1 to delete**');
    expect(comment()).toContain('firstYearValue: 80 → 82.5');
    expect(comment()).toContain(`Plan of commit ${changeSha} (exit code 2).`);
    expect(pr.summary).toBe(comment());
    expect(ghCalls().filter((c) => c.startsWith('api -X ')).map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual(['api -X POST', 'api -X PATCH', 'api -X PATCH']);

    // Merge: the merge job plans that commit and applies exactly that saved plan.
    git('checkout', '-q', 'main');
    git('merge', '-q', '--ff-only', 'change');
    const merge = await job('apply', changeSha);
    expect(merge.failed, merge.steps.map((s) => s.stderr).join('\n')).toBe(false);
    const report = JSON.parse(readFileSync(join(merge.dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'applied', summary: { succeeded: 4, failed: 0, skipped: 0, updated: 3, deleted: 1 } });
    const data = em.store.data;
    expect(data.levels.map((l) => [l.name, l.firstYearValue]).sort()).toEqual([['Agency', 95], ['Street', 82.5]]);
    const agency = data.levels.find((l) => l.name === 'Agency')!;
    expect(data.assignments.filter((a) => a.commissionLevelId === agency.id).map((a) => a.npn)).toEqual([NPNS[0].replace(/"/g, '')]);

    // Nothing moves until someone changes the account by hand: the daily job then fails with drift.
    expect((await job('drift', changeSha)).failed).toBe(false);
    const street = data.levels.find((l) => l.name === 'Street')!;
    expect((await call(em, await token(em), 'PUT', `/v1/customers/commissionLevels/${street.id}`, { firstYearValue: 70 })).status).toBe(200);
    const drift = await job('drift', changeSha);
    expect(drift.steps.at(-1)!.code).toBe(2);
    expect(drift.summary).toContain('**Drift:** 1 object(s) differ from the config');

    // Keeping the hand change instead (workflow_dispatch with adopt): a pull request writes it into the config.
    const adopt = await job('adopt', changeSha);
    expect(adopt.failed, adopt.steps.map((s) => s.stderr).join('\n')).toBe(false);
    expect(git('branch', '--list', 'downline/adopt-drift-*').replace('*', '').trim()).toBe('downline/adopt-drift-99');
    expect(git('diff', changeSha, 'downline/adopt-drift-99', '--', 'downline.yaml').split('\n').filter((l) => /^[-+] /.test(l))).toEqual([
      '-          - { name: Street, type: percent, firstYearValue: 82.5, level: 1 }',
      '+          - { name: Street, type: percent, firstYearValue: 70, level: 1 }',
    ]);
    expect(ghCalls().at(-1)).toMatch(/^pr create --base main --head downline\/adopt-drift-99 /);
    expect(readFileSync(join(scratch.path, 'gh', 'pr.md'), 'utf8')).toContain('**Drift:** 1 object(s) differ from the config');
    // The adopted config is what the account holds: its drift check passes.
    expect((await job('drift', git('rev-parse', 'downline/adopt-drift-99'))).failed).toBe(false);

    // A raise that starts on 2027-01-01, merged ahead of time. The day before, the daily job applies
    // nothing and still fails on the hand change; from that day it applies exactly the raise — not the drift.
    writeFileSync(join(repo, 'downline.yaml'), config({ fyv: 82.5, annualization: 'Annual', moved: true, legacy: false, agencyFrom: '2027-01-01' }));
    const raiseSha = commit('Agency pays 97 from 2027-01-01');
    em.log.length = 0;
    const early = await job('drift', raiseSha, { DOWNLINE_AS_OF: '2026-12-31' });
    expect(codes(early), early.steps.map((s) => s.stderr).join('\n')).toMatchObject({
      'Plan the changes that came due today (effective / until dates)': 0, 'Apply exactly those (re-derived for the same date, refused if anything differs)': 0,
      'Drift check (fails when the live account differs from main; names who changed it, and when)': 2,
    });
    expect(writes(em)).toEqual([]);
    expect(JSON.parse(readFileSync(join(early.dir, 'due-report.json'), 'utf8'))).toMatchObject({ status: 'no-changes' });
    expect(early.summary).toContain('scheduled 2027-01-01: commission level "Example Life Insurance Company / Term Life 20 / Agency" — firstYearValue 95 → 97');

    const due = await job('drift', raiseSha, { DOWNLINE_AS_OF: '2027-01-01' });
    expect(codes(due)['Plan the changes that came due today (effective / until dates)']).toBe(0);
    expect(codes(due)['Apply exactly those (re-derived for the same date, refused if anything differs)']).toBe(0);
    expect(writes(em).map((w) => `${w.method} ${w.path.replace(/[0-9a-f-]{36}/g, ':id')}`)).toEqual(['PUT /contracting/v1/customers/commissionLevels/:id']);
    expect(JSON.parse(readFileSync(join(due.dir, 'due-report.json'), 'utf8'))).toMatchObject({ status: 'applied', summary: { updated: 1, failed: 0 } });
    expect(data.levels.map((l) => [l.name, l.firstYearValue]).sort()).toEqual([['Agency', 97], ['Street', 70]]);
    // The hand change is still drift, reported and not applied by the daily job.
    expect(codes(due)['Drift check (fails when the live account differs from main; names who changed it, and when)']).toBe(2);
    expect(due.summary).toContain('**Drift:** 1 object(s) differ from the config');
  }, 600_000);

  it('adopt with a roster (init --roster\'s workflow): the pull request carries the drifted row of the CSV', async () => {
    await em.close();
    em = await startEmulator({});
    const flow = parseWorkflow(rosterWorkflow(readFileSync(join(repo, '.github/workflows/downline.yml'), 'utf8')));
    writeFileSync(join(repo, 'downline.yaml'), config().slice(0, config().indexOf('\nassignments:') + 1));
    const roster = 'npn,carrier,product,commissionLevel,status\n'
      + '10000001,Example Life Insurance Company,Term Life 20,Street,APPROVED\n'
      + '10000002,"Example Life Insurance Company",Term Life 20,Street,APPROVED\n';
    writeFileSync(join(repo, 'producers.csv'), roster);
    const sha = commit('producers in a roster');
    const applied = await job('apply', sha, {}, { flow });
    expect(applied.failed, applied.steps.map((s) => s.stderr).join('\n')).toBe(false);
    expect(em.store.data.assignments).toHaveLength(2);
    const agency = em.store.data.levels.find((l) => l.name === 'Agency')!;
    const assignment = em.store.data.assignments.find((a) => a.npn === '10000002')!;
    expect((await call(em, await token(em), 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, { commissionLevelId: agency.id }, { [EMULATOR_USER_HEADER]: 'Jane Admin' })).status).toBe(200);

    const adopt = await job('adopt', sha, {}, { flow, runId: '100' });
    expect(adopt.failed, adopt.steps.map((s) => s.stderr).join('\n')).toBe(false);
    expect(git('diff', '--name-only', sha, 'downline/adopt-drift-100')).toBe('producers.csv');
    expect(git('show', 'downline/adopt-drift-100:producers.csv')).toBe(roster.replace('"Example Life Insurance Company",Term Life 20,Street', '"Example Life Insurance Company",Term Life 20,Agency').trimEnd());
    expect(readFileSync(join(scratch.path, 'gh', 'pr.md'), 'utf8')).toContain('changed by Jane Admin on');
    expect((await job('drift', git('rev-parse', 'downline/adopt-drift-100'), {}, { flow })).failed).toBe(false);
  }, 300_000);
});
