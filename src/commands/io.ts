import type { OutputFormat } from '../render/diagnostics.js';
import { createStyle, wantsColor, type Style } from '../render/style.js';

/** Everything a command may touch of the process, injected so main() runs in-process in tests. */
export interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stdout is a terminal (colour, live progress). */
  isTTY: boolean;
  /** Asks a question on the terminal; absent when stdin is not a TTY (then apply refuses to prompt). */
  prompt?: (question: string) => Promise<string>;
  /** Resolves when the user interrupts (Ctrl-C); used by the foreground emulator. */
  interrupted?: Promise<void>;
  /** Aborted on the first Ctrl-C / SIGTERM (reason: the signal's name): stop starting new work. */
  signal?: AbortSignal;
}

export interface CommonOptions {
  env?: string;
  format?: OutputFormat;
  color: boolean;
  concurrency: number;
  verbose?: boolean;
  debug?: boolean;
}

export interface Output {
  format: OutputFormat;
  style: Style;
  out(text: string): void;
  err(text: string): void;
  /** A machine-readable document (--format json): always stdout, whatever `out` points at. */
  data(text: string): void;
}

export function output(io: Io, options: CommonOptions): Output {
  // Inside GitHub Actions, annotations are what make errors visible on the pull request.
  const format = options.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
  return {
    format,
    style: createStyle(wantsColor(io.env, io.isTTY, options.color)),
    out: (text) => void io.stdout.write(text),
    err: (text) => void io.stderr.write(text),
    data: (text) => void io.stdout.write(text),
  };
}

/** The JSON document of a failure without diagnostics of its own (same shape as `validate --format json`). */
export function errorDocument(message: string, hint?: string): string {
  return `${JSON.stringify({ formatVersion: 1, diagnostics: [{ severity: 'error', message, ...(hint ? { hint } : {}) }] }, null, 2)}\n`;
}

/** A refusal: the message for people on stderr and, under --format json, the document on stdout. */
export function refuse(o: Output, message: string, exitCode: number): number {
  o.err(message);
  if (o.format === 'json') o.data(errorDocument(message.replace(/\x1b\[[0-9;]*m/g, '').trim()));
  return exitCode;
}

/** An error the user can act on: printed as one line, exit code 1 (or the code given). */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
