import type { DesiredState } from './desired.js';
import type { LiveIndex } from './live-index.js';
import { encodeKey, quotedPath } from './address.js';
import type { ExportContext, FieldSpec } from './fields.js';
import type { LiveSnapshot, RawObject } from './live.js';
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
  /** The heading of its group in every output (`Carriers`). */
  title: string;
  /** The identity fields whose values make its key, in key order, and the separators between them (core/address.ts; default `/`). */
  key: { parts: readonly string[]; separators?: string };
  /**
   * An object in words, from its key's parts; `suffix` marks a live duplicate (`#2`). Default: the
   * noun and the quoted names, `product "Acme / Term"` (quotedPath in core/address.ts).
   */
  describe?(parts: readonly string[], suffix: string): string;
  /** One of its objects in a sentence, lower case (`commission level`). */
  noun: string;
  /** Its declared fields (see FieldSpec): absent for kinds whose entries are not field lists (invitations). */
  fields?: readonly FieldSpec[];
  /** Its live objects in a snapshot (default: `live.objects[kind]`, where discovery puts a registered kind's). */
  liveObjects?(live: LiveSnapshot): readonly RawObject[];
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
  /**
   * Create failures that say "another writer made it" (the API refuses a duplicate name): the
   * object is looked up by key and adopted, as after an ambiguous failure.
   */
  adoptOn?: readonly number[];
  /**
   * Live objects of a kind that keeps them in `LiveSnapshot.objects`: listed by discovery (only
   * those the config can reach). Built-in kinds are discovered together in src/api/discover.ts.
   */
  discover?(api: ApiPort, desired: DesiredState): Promise<RawObject[]>;
  /** Its top-level section of `downline export`, from the live objects (for kinds exported on their own). */
  exportSection?: { name: string; entries(objects: readonly RawObject[], ctx: ExportContext): Array<Record<string, unknown>> };
}

/** The live objects of a kind in a snapshot. */
export function liveObjectsOf(kind: KindModule, live: LiveSnapshot): readonly RawObject[] {
  return kind.liveObjects ? kind.liveObjects(live) : live.objects?.[kind.kind] ?? [];
}

/** An object of `kind` in words (its `describe`, or the noun and the quoted names). */
export function describeObject(kind: KindModule, parts: readonly string[], suffix = ''): string {
  return kind.describe ? kind.describe(parts, suffix) : `${kind.noun} ${quotedPath(parts, suffix)}`;
}

/** The key of an object of `kind` from its identity. */
export function keyOf(kind: Pick<KindModule, 'key'>, identity: Record<string, string>): string {
  return encodeKey(kind.key.parts.map((p) => identity[p]), kind.key.separators);
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
