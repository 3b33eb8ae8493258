#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { main } from './main.js';

// The only file that touches the process: argv, env, streams, signals and the exit code.

/**
 * Terraform's contract: the first Ctrl-C / SIGTERM asks the command to stop gracefully (no new
 * requests; in-flight ones finish; a summary and the report are written; exit 130 / 143); a second
 * signal, or in-flight work outlasting the grace period, exits at once.
 */
const GRACE_MS = 60_000;
const controller = new AbortController();
const codeOf = (signal: NodeJS.Signals) => (signal === 'SIGTERM' ? 143 : 130);
const onSignal = (signal: NodeJS.Signals): void => {
  if (controller.signal.aborted) {
    process.stderr.write(`\n${signal} again: exiting at once; requests in flight may or may not have been applied. Run plan to see where things stand.\n`);
    process.exit(codeOf(signal));
  }
  process.stderr.write(`\n${signal} received: stopping gracefully — no new requests; those in flight finish. ${signal === 'SIGINT' ? 'Press Ctrl-C again' : 'Send it again'} to exit at once.\n`);
  controller.abort(signal);
  setTimeout(() => {
    process.stderr.write(`requests still in flight after ${GRACE_MS / 1000} s: exiting. Run plan to see where things stand.\n`);
    process.exit(codeOf(signal));
  }, GRACE_MS).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const interrupted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));

const prompt = process.stdin.isTTY
  ? async (question: string): Promise<string> => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      // In raw mode Ctrl-C is a keypress, not a signal: readline reports it here.
      rl.on('SIGINT', () => onSignal('SIGINT'));
      try {
        return await rl.question(question, { signal: controller.signal });
      } finally {
        rl.close();
      }
    }
  : undefined;

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  prompt,
  interrupted,
  signal: controller.signal,
});
process.exitCode = code;
// Handles kept open by signal listeners must not keep a finished command alive.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
