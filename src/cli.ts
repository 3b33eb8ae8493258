#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { main } from './main.js';

// The only file that touches the process: argv, env, streams, signals and the exit code.
const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

const prompt = process.stdin.isTTY
  ? async (question: string): Promise<string> => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
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
});
process.exitCode = code;
// Handles kept open by SIGINT listeners must not keep a finished command alive.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
