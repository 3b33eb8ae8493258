import type { DesiredState } from './desired.js';
import type { LiveIndex } from './live-index.js';
import type { LiveSnapshot } from './live.js';
import type { Lookups } from './lookups.js';
import type { ApiPort } from './ports.js';
import type { AddressKey, Change, Diagnostic, IdRef, KindName, ScheduledChange, UncomparableField, UnmanagedObject, View } from './types.js';

/** Everything a kind needs to plan: pure data, plus collectors for what it finds. */
export interface KindContext {
  desired: DesiredState;
  live: LiveSnapshot;
  index: LiveIndex;
  lookups: Lookups;
  diagnostics: Diagnostic[];
  changes: Change[];
  unmanaged: UnmanagedObject[];
  uncomparable: UncomparableField[];
  /** How to treat declared fields the API does not read back (see UnverifiedPolicy). */
  unverified: UnverifiedPolicy;
  /** The reference date, YYYY-MM-DD (UTC): `until:` dates on or before it are due (SPEC §12). */
  asOf: string;
  /** Changes waiting for a date that a kind plans itself (an assignment's `until:`). */
  scheduled: ScheduledChange[];
}

/**
 * A field the API does not read back cannot be compared with the live value. It is compared with the
 * same config at a git base instead (`base`: desired views by address key, computed by the same
 * pipeline), or written unconditionally (`push`). With neither, it stays listed as unverified.
 */
export interface UnverifiedPolicy {
  base?: { ref: string; views: ReadonlyMap<AddressKey, View> };
  push: boolean;
}

/** Ids known so far in an apply: filled as creates succeed, so children of new parents resolve. */
export type IdTable = Map<AddressKey, string>;

/**
 * One resource kind. Core defines the interface and plans through it; each module under src/kinds
 * implements it (core never imports a kind).
 */
export interface KindModule {
  kind: KindName;
  /** Append this kind's changes, unmanaged objects and diagnostics to the context. */
  plan(ctx: KindContext): void;
  /**
   * Find the live object at the change's address by its natural key, after an ambiguous write
   * failure (did it commit?). Returns its id or null.
   */
  locate(change: Change, api: ApiPort, ids: IdTable): Promise<string | null>;
  /** The id of a created object, from the create response (or its element of a bulk response). */
  createdId?(response: unknown): string | undefined;
  /** Whether an element of a bulk create answer is the object this change asked for (by its key). */
  matchesCreated?(change: Change, created: unknown): boolean;
}

export function ref(key: AddressKey): IdRef {
  return { $ref: key };
}

/** A live id when the parent exists, else a reference filled in at apply time. */
export function idOrRef(liveId: string | undefined, key: AddressKey): string | IdRef {
  return liveId ?? ref(key);
}

/** Build an operation path; IdRef parts become `{n}` tokens listed in `refs`. */
export function pathOf(strings: TemplateStringsArray, ...parts: Array<string | IdRef>): { path: string; refs: AddressKey[] } {
  const refs: AddressKey[] = [];
  let path = strings[0];
  parts.forEach((part, i) => {
    if (typeof part === 'string') path += encodeURIComponent(part);
    else {
      path += `{${refs.length}}`;
      refs.push(part.$ref);
    }
    path += strings[i + 1];
  });
  return { path, refs };
}

/** Record "the API does not read this field back" once per kind and field. */
export function noteUnreadable(ctx: KindContext, kind: KindName, fields: string[]): void {
  for (const field of fields) {
    if (!ctx.uncomparable.some((u) => u.kind === kind && u.field === field)) ctx.uncomparable.push({ kind, field });
  }
}

export function idOf(response: unknown): string | undefined {
  return response && typeof response === 'object' && typeof (response as { id?: unknown }).id === 'string' ? (response as { id: string }).id : undefined;
}
