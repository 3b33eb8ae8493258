import type { RawObject } from './live.js';
import type { Operation, Value } from './types.js';

/** An operation with every `{n}` path token and `$ref` body value replaced by a real id. */
export interface ResolvedOperation {
  api: Operation['api'];
  method: Operation['method'];
  path: string;
  body?: Value;
  idempotencyKey?: string;
}

/**
 * What core needs of the outside world to apply a plan: reads for recovery and stale checks, and
 * one way to send a write. Implemented by src/api over HTTP; fakes in unit tests.
 */
export interface ApiPort {
  get(api: Operation['api'], path: string, query?: Record<string, string>): Promise<unknown>;
  list(path: string, key: string, query?: Record<string, string>): Promise<RawObject[]>;
  send(op: ResolvedOperation): Promise<unknown>;
  /**
   * After an ambiguous write whose object is not found (yet): wait before looking again, because
   * listings may lag writes. Resolves false once the consistency window is over ("absent" is then
   * believed). Without it, one lookup decides.
   */
  settle?(attempt: number): Promise<boolean>;
}
