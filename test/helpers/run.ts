import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/main.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
  prompt?: (question: string) => Promise<string>;
  /** Stands for Ctrl-C: abort it with 'SIGINT' or 'SIGTERM'. */
  signal?: AbortSignal;
}

/** Call main() in-process, as the CLI would, capturing everything it prints. */
export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    // Fast backoff, and no consistency window (the emulator's listings do not lag unless a test asks).
    env: { DOWNLINE_RETRY_BASE_MS: '5', DOWNLINE_CONSISTENCY_WINDOW_S: '0', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    isTTY: options.isTTY ?? false,
    prompt: options.prompt,
    signal: options.signal,
  });
  return { code, stdout, stderr };
}

export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'downline-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export const ROOT = new URL('../../', import.meta.url).pathname;
export const example = (name: string) => join(ROOT, 'examples', name);
