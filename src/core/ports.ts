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

/** A paged listing whose first page was read: its size (in the page size the server uses), the rest on demand. */
export interface Listing<T> {
  totalElements: number;
  totalPages: number;
  /** The page size the server actually uses. */
  pageSize: number;
  /** Every item: the other pages fetched concurrently, each checked against the first. */
  all(): Promise<T[]>;
}

/** What discovery needs beyond ApiPort: a listing opened at its first page, and whether Turris is set up. */
export interface DiscoveryPort extends ApiPort {
  open(path: string, key: string): Promise<Listing<RawObject>>;
  hasTurris(): boolean;
}
