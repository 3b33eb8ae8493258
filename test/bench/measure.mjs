/**
 * Runs one downline command in-process — the compiled CLI, as users run it — and reports its wall
 * time, CPU time and peak memory as a JSON line on fd 3, so the bench measures downline alone
 * (the emulator runs in the bench's own process).
 */
import { writeSync } from 'node:fs';
const { main } = await import(process.env.BENCH_DIST ?? '../../dist/main.js');

const started = process.hrtime.bigint();
const code = await main(process.argv.slice(2), {
  stdout: { write: () => true },
  stderr: { write: (s) => (process.env.BENCH_VERBOSE ? process.stderr.write(s) : true) },
  env: process.env,
  cwd: process.cwd(),
  isTTY: false,
});
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = process.cpuUsage();
writeSync(3, `${JSON.stringify({ code, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
