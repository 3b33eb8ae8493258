import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Store } from '../../src/emulator/store.js';
import { envFor, startEmulator, type Emulator, type EmulatorOptions } from '../helpers/emulator.js';
import { example, ROOT, run, tempDir } from '../helpers/run.js';

let em: Emulator | undefined;
let dir: { path: string; cleanup: () => Promise<void> };
const outputs: string[] = [];
beforeEach(async () => {
  dir = await tempDir();
  outputs.length = 0;
});
afterEach(async () => {
  await em?.close();
  em = undefined;
  await dir.cleanup();
});

const agency = example('agency');
async function apply(e: Emulator): Promise<number> {
  const r = await run(['apply', '--auto-approve', agency], { cwd: dir.path, env: envFor(e) });
  outputs.push(r.stdout, r.stderr);
  return r.code;
}
async function planCode(e: Emulator): Promise<number> {
  const r = await run(['plan', '--detailed-exitcode', agency], { cwd: dir.path, env: envFor(e) });
  outputs.push(r.stdout, r.stderr);
  return r.code;
}

/** Nothing exists twice by its natural key. */
function expectNoDuplicates(store: Store): void {
  const unique = (keys: string[]) => expect(new Set(keys).size).toBe(keys.length);
  unique(store.data.carriers.map((c) => c.name));
  unique(store.data.products.map((p) => `${p.carrierId}/${p.name}`));
  unique(store.data.levels.map((l) => `${l.productId}/${l.name}`));
  unique(store.data.assignments.map((a) => `${a.npn}/${a.productId}`));
  unique(store.data.turris.associations.map((a) => String(a.producerCode ?? a.email)));
  expect(store.data.invitations).toHaveLength(2);
}

function expectNoSecrets(e: Emulator): void {
  const all = outputs.join('\n');
  expect(all).not.toContain(e.credentials.clientSecret);
  expect(all).not.toContain(e.credentials.turrisClientSecret);
  expect(all).not.toMatch(/Bearer [A-Za-z0-9_-]{10,}/);
}

/** Apply until it succeeds (at most `runs` times), then the plan must be clean. */
async function converge(e: Emulator, runs = 3): Promise<void> {
  let code = 1;
  for (let i = 0; i < runs && code !== 0; i++) code = await apply(e);
  expect(code).toBe(0);
  expect(await planCode(e)).toBe(0);
}

describe('resilience', () => {
  it('survives kill -9 at random points: the next apply converges with nothing duplicated', async () => {
    em = await startEmulator({ latency: 15 });
    for (let trial = 0; trial < 5; trial++) {
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli.ts'), 'apply', '--auto-approve', agency], { cwd: dir.path, env: { ...process.env, ...envFor(em) }, stdio: 'ignore' });
      // Kill it while it writes: after its first write of this trial, at a random later moment.
      const writesBefore = em.log.filter((r) => r.method === 'POST').length;
      const deadline = Date.now() + 15_000;
      while (em.log.filter((r) => r.method === 'POST').length === writesBefore && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, Math.random() * 250));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(em.log.some((r) => r.method === 'POST')).toBe(true);
    await converge(em);
    expectNoDuplicates(em.store);
    expectNoSecrets(em);
  }, 60_000);

  it('survives the API restarting mid-run', async () => {
    const state = join(dir.path, 'api-state.json');
    em = await startEmulator({ latency: 10, stateFile: state });
    const port = Number(new URL(em.url).port);
    const first = apply(em);
    await new Promise((r) => setTimeout(r, 300));
    await em.close();
    em = await startEmulator({ latency: 10, stateFile: state, port });
    await first;
    await converge(em);
    expectNoDuplicates(em.store);
    expectNoSecrets(em);
  });

  it('keeps going while tokens expire every second', async () => {
    em = await startEmulator({ latency: 20, tokenTtl: 1 });
    expect(await apply(em)).toBe(0);
    expect(em.log.filter((r) => r.path === '/oauth2/token').length).toBeGreaterThan(1);
    expect(await planCode(em)).toBe(0);
    expectNoDuplicates(em.store);
    expectNoSecrets(em);
  });

  it('converges within 3 runs under 10% random 5xx and 5% writes that commit but answer 502', async () => {
    const options: EmulatorOptions = { failRate: 0.1, failAfterCommitRate: 0.05 };
    em = await startEmulator(options);
    await converge(em);
    expectNoDuplicates(em.store);
    expect(em.log.filter((r) => r.status >= 500).length).toBeGreaterThan(0);
    expectNoSecrets(em);
  });

  it('refuses a 50 MB config quickly, with a clear error', async () => {
    const file = join(dir.path, 'huge.yaml');
    writeFileSync(file, `version: 1\n# ${'x'.repeat(50 * 1024 * 1024)}\n`);
    const started = Date.now();
    const config = await loadConfig(['huge.yaml'], dir.path, {});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(config.diagnostics[0]).toMatchObject({ message: 'file is larger than 32 MiB', source: { file: 'huge.yaml', line: 1, column: 1 } });
  });
});
