/**
 * npx tsx test/bench/stages.ts N (npns | invites) [REPEAT]   (after `npm run build`)
 *
 * Where a no-op plan of a seeded book of N producers spends its time and its memory, stage by
 * stage: the compiled modules are driven in a child process (`node --expose-gc stages-child.mjs`)
 * through the pipeline `plan` runs — load the config, discover, index, computePlan, the JSON
 * document, the text rendering — and after each stage it prints the time it took and the heap
 * still reachable after a forced GC (what the stage's results retain). Then the whole CLI is
 * measured REPEAT times (default 3) as `npm run bench` does (wall, CPU, peak RSS). The seeded
 * account is cached in the temp directory, so a second run starts at once.
 * BENCH_DIST=/path/to/dist/main.js measures another build; STAGES_NODE_FLAGS='--cpu-prof --cpu-prof-dir=DIR' (or
 * --heap-prof) profiles the staged child.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { assignmentConfig, catalogConfig, inviteConfig } from './generate.js';
import { seedBook } from './seed.js';

const n = Number(process.argv[2] ?? 100_000);
const form = (process.argv[3] ?? 'npns') as 'npns' | 'invites';
const repeat = Number(process.argv[4] ?? 3);
const ROOT = new URL('../../', import.meta.url).pathname;
const dist = process.env.BENCH_DIST ?? join(ROOT, 'dist/main.js');
const dir = await mkdtemp(join(tmpdir(), 'downline-stages-'));
const file = join(dir, 'downline.yaml');

const envOf = (em: Emulator) => ({
  ...process.env, CI: '', DOWNLINE_ENV: 'sandbox', AGENTSYNC_BASE_URL: em.baseUrl, AGENTSYNC_TOKEN_URL: em.tokenUrl,
  AGENTSYNC_CLIENT_ID: em.credentials.clientId, AGENTSYNC_CLIENT_SECRET: em.credentials.clientSecret, BENCH_DIST: dist,
});

function child(script: string, args: string[], em: Emulator, node: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...node, join(ROOT, 'test/bench', script), ...args], { cwd: dir, env: envOf(em), stdio: ['ignore', 'inherit', 'inherit', 'pipe'] });
    let out = '';
    p.stdio[3]!.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (out ? resolve(out) : reject(new Error(`${script} exited ${code} without a measurement`))));
  });
}

const cache = join(tmpdir(), `downline-seed-${form}-${n}.json`);
if (!existsSync(cache)) {
  await writeFile(file, catalogConfig());
  const em = await startEmulator({});
  try {
    await child('measure.mjs', ['apply', '--auto-approve', file], em);
    await seedBook(em, n, form);
    await writeFile(cache, JSON.stringify(em.store.data));
  } finally {
    await em.close();
  }
}
await writeFile(file, form === 'npns' ? assignmentConfig(n) : inviteConfig(n));
const em = await startEmulator({ latency: 20 });
try {
  em.store.replace(JSON.parse(await readFile(cache, 'utf8')));
  console.log(`${n} producers, ${form}: ${dirname(dist)}`);
  process.stdout.write(await child('stages-child.mjs', [file], em, ['--expose-gc', ...(process.env.STAGES_NODE_FLAGS ?? '').split(' ').filter(Boolean)]));
  for (let i = 0; i < repeat; i++) {
    const m = JSON.parse(await child('measure.mjs', ['plan', '--detailed-exitcode', file], em)) as { code: number; wallMs: number; cpuMs: number; maxRssMb: number };
    console.log(`CLI no-op plan: exit ${m.code}, wall ${(m.wallMs / 1000).toFixed(2)} s, CPU ${(m.cpuMs / 1000).toFixed(2)} s, peak RSS ${Math.round(m.maxRssMb)} MB`);
  }
} finally {
  await em.close();
}
