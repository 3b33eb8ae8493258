import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_STARTED } from '../../src/core/apply-plan.js';
import { count, envFor, useSandbox } from '../helpers/emulator.js';
import { ROOT, run } from '../helpers/run.js';

// Every request takes 150 ms: slow enough to interrupt an apply in the middle.
const sandbox = useSandbox({ latency: 150 });

const NPNS = Array.from({ length: 10 }, (_, i) => String(5000 + i));
const CONFIG = `version: 1
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels: [{ name: L1, type: percent }]
assignments:
${NPNS.map((n) => `  - { npn: "${n}", carrier: Acme, product: Term, commissionLevel: L1 }`).join('\n')}
`;

const assignmentPosts = () => count(sandbox.em, 'POST', /contractAssignments$/);

/** The real CLI in its own process (signals are process-level), against the in-test emulator. */
async function interruptApply(signal: NodeJS.Signals, times = 1): Promise<{ code: number | null; stdout: string; stderr: string; postsAtSignal: number }> {
  writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG);
  const { CI: _ci, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, join(ROOT, 'src/cli.ts'), 'apply', '--auto-approve', '--concurrency', '1', '--report', 'report.json'],
    { cwd: sandbox.dir.path, env: { ...env, ...envFor(sandbox.em) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (assignmentPosts() < 3) await new Promise((r) => setTimeout(r, 10));
  const postsAtSignal = assignmentPosts();
  for (let i = 0; i < times; i++) {
    child.kill(signal);
    if (i + 1 < times) await new Promise((r) => setTimeout(r, 20));
  }
  return { code: await exited, stdout, stderr, postsAtSignal };
}

describe('Ctrl-C and SIGTERM during apply', () => {
  it('SIGINT: no new request starts, the one in flight finishes, the summary and report list what was not done, exit 130', async () => {
    const r = await interruptApply('SIGINT');
    expect(r.code).toBe(130);
    // With --concurrency 1 at most one request was in flight when the signal came; none started after it.
    const posted = assignmentPosts();
    expect(posted - r.postsAtSignal).toBeLessThanOrEqual(1);
    expect(sandbox.em.store.data.assignments).toHaveLength(posted);
    const report = JSON.parse(readFileSync(join(sandbox.dir.path, 'report.json'), 'utf8'));
    const notStarted = report.results.filter((x: { error?: string }) => x.error === NOT_STARTED);
    expect(notStarted).toHaveLength(NPNS.length - posted);
    expect(report.summary.created).toBe(posted + 3);
    expect(r.stderr).toContain('SIGINT received: stopping gracefully');
    expect(r.stdout).toContain(`skipped: assignment.${NPNS[NPNS.length - 1]}@Acme/Term: ${NOT_STARTED}`);
    expect(r.stderr).toContain(`Apply interrupted (SIGINT): ${posted + 3} change(s) done, ${NPNS.length - posted} not started (listed above as skipped); report written to report.json.`);
  }, 30_000);

  it('SIGTERM: the same, exit 143', async () => {
    const r = await interruptApply('SIGTERM');
    expect(r.code).toBe(143);
    expect(assignmentPosts() - r.postsAtSignal).toBeLessThanOrEqual(1);
    expect(assignmentPosts()).toBeLessThan(NPNS.length);
    expect(existsSync(join(sandbox.dir.path, 'report.json'))).toBe(true);
  }, 30_000);

  it('a second signal exits at once, without waiting for the request in flight', async () => {
    const r = await interruptApply('SIGINT', 2);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGINT again: exiting at once');
    expect(r.stderr).not.toContain('Apply interrupted');
  }, 30_000);
});

describe('Ctrl-C during read-only commands', () => {
  it.each([['plan'], ['export']])('%s stops sending requests and exits 130', async (command) => {
    writeFileSync(join(sandbox.dir.path, 'downline.yaml'), CONFIG);
    const controller = new AbortController();
    const pending = run([command, '--concurrency', '1'], { cwd: sandbox.dir.path, env: envFor(sandbox.em), signal: controller.signal });
    while (sandbox.em.log.length < 3) await new Promise((r) => setTimeout(r, 5));
    const atSignal = sandbox.em.log.length;
    controller.abort('SIGINT');
    const r = await pending;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted (SIGINT): stopped before sending further requests');
    expect(r.stdout).toBe('');
    // The one request in flight (--concurrency 1) finishes; the calls still waiting are never sent.
    expect(sandbox.em.log.length - atSignal).toBeLessThanOrEqual(1);
  });
});
