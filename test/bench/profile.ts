/**
 * npx tsx test/bench/profile.ts N (npns | invites | validate) [OUT_DIR]   (after `npm run build`)
 *
 * Profiles the compiled CLI (`node --cpu-prof dist/cli.js`) on a no-op plan of a seeded book of N
 * producers in one form, or on `validate` of N invitations, and prints the functions with the most
 * self time (the .cpuprofile stays in OUT_DIR for Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { assignmentConfig, catalogConfig, inviteConfig } from './generate.js';
import { seedBook } from './seed.js';

const [n = 100_000, mode = 'npns'] = [Number(process.argv[2] ?? 100_000), process.argv[3] ?? 'npns'];
const out = process.argv[4] ?? (await mkdtemp(join(tmpdir(), 'downline-prof-')));
await mkdir(out, { recursive: true });
const ROOT = new URL('../../', import.meta.url).pathname;
const em = await startEmulator({});
const env = { ...process.env, CI: '', DOWNLINE_ENV: 'sandbox', AGENTSYNC_BASE_URL: em.baseUrl, AGENTSYNC_TOKEN_URL: em.tokenUrl, AGENTSYNC_CLIENT_ID: em.credentials.clientId, AGENTSYNC_CLIENT_SECRET: em.credentials.clientSecret };
const cli = (args: string[], profile: boolean) => new Promise<number>((resolve) => {
  const started = Date.now();
  const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${out}`] : []), join(ROOT, 'dist/cli.js'), ...args], { cwd: out, env, stdio: ['ignore', 'ignore', profile ? 'inherit' : 'ignore'] });
  child.on('close', (code) => {
    if (profile) console.log(`${args.join(' ')} → exit ${code} in ${Date.now() - started} ms (profiled)`);
    resolve(code ?? 1);
  });
});
try {
  const file = join(out, 'downline.yaml');
  if (mode !== 'validate') {
    await writeFile(file, catalogConfig());
    await cli(['apply', '--auto-approve', file], false);
    await seedBook(em, n, mode as 'npns' | 'invites');
    await writeFile(file, mode === 'npns' ? assignmentConfig(n) : inviteConfig(n));
    await cli(['plan', '--detailed-exitcode', file], true);
  } else {
    await writeFile(file, inviteConfig(n));
    await cli(['validate', file], true);
  }
  const name = (await readdir(out)).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(await readFile(join(out, name), 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = [...byFrame.values()].reduce((a, b) => a + b, 0);
  console.log(`total ${Math.round(total / 1000)} ms sampled; profile in ${join(out, name)}`);
  for (const [key, us] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${String(Math.round(us / 1000)).padStart(7)} ms  ${key}`);
} finally {
  await em.close();
}
