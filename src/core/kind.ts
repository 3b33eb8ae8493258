import type { DesiredState, Located } from './desired.js';
import type { LiveIndex } from './live-index.js';
import { encodeKey, quotedPath } from './address.js';
import type { ExportContext, FieldSpec } from './fields.js';
import type { ContractTemplate, LiveSnapshot, RawObject } from './live.js';
import type { Lookups } from './lookups.js';
import type { ApiPort, DiscoveryPort } from './ports.js';
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

/** What finding an object again may use: the ids made so far, and the other kinds (a parent's listing). */
export interface LocateContext {
  ids: IdTable;
  kind(name: KindName): KindModule;
}

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
  /** Where its live objects are listed (an API assumption, SPEC §8): discovery, lookups by key and doctor read it here. */
  listing?: Listing;
  /** How its live objects enter the name index (core/live-index.ts); absent: they are not indexed. */
  index?: LiveKeySpec;
  /** The key parts of one of its declared entries (`desired.entries[kind]`). */
  declaredParts?(entry: Located): readonly string[];
  /** Append this kind's changes, unmanaged objects and diagnostics to the context. */
  plan(ctx: KindContext): void;
  /**
   * Find the live object at the change's address by its natural key, after an ambiguous write
   * failure (did it commit?). Returns its id or null.
   */
  locate(change: Change, api: ApiPort, ctx: LocateContext): Promise<string | null>;
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
   * Its live objects, as far as the config can reach them (`live.objects[kind]`): every kind is
   * discovered at once, a child kind awaiting its parent's objects through `ctx.found`.
   */
  discover?(api: DiscoveryPort, ctx: DiscoverContext): Promise<Discovered>;
  /** Its top-level section of `downline export`, from the live objects (for kinds exported on their own). */
  exportSection?: { name: string; entries(objects: readonly RawObject[], ctx: ExportContext): Array<Record<string, unknown>> };
}

/** A HAL list of a kind's objects: its path (under its parent's id, for a child kind) and its collection key. */
export interface Listing {
  path(parentId?: string): string;
  key: string;
  /** The kind whose objects it is listed under. */
  parent?: KindName;
  /** Where one object is read, updated and deleted: `{item}/{id}`. */
  item: string;
}

/** The path of one object of a listing (`/v1/customers/products/p-1`), as an operation path. */
export function itemPath(listing: Listing, id: string): { path: string; refs: AddressKey[] } {
  return { path: `${listing.item}/${encodeURIComponent(id)}`, refs: [] };
}

/** How a kind's live objects are indexed by key. */
export interface LiveKeySpec {
  /** The key parts of a live object, its parent's found by id through `partsOf`; undefined when its parent is not in the snapshot. */
  parts(o: RawObject, partsOf: (kind: KindName, id: unknown) => readonly string[] | undefined): readonly string[] | undefined;
  /**
   * `ambiguous`: a declared key held by several live objects is an error (names the API does not
   * keep unique; downline will not pick one). `list`: all are kept, and the kind reports them itself.
   */
  duplicates: 'ambiguous' | 'list';
  /** The field holding its parent's id, and the parent in words: where an ambiguous duplicate lives. */
  parent?: { field: string; noun: string };
}

export interface DiscoverContext {
  desired: DesiredState;
  concurrency: number;
  /**
   * Whether the object of `kind` with these key parts is in scope: its children are listed only
   * then. A plan's scope is what the config declares (and what pruning covers); export's is all.
   */
  inScope(kind: KindName, parts: readonly string[]): boolean;
  /** The live objects another kind discovered (a parent's, to list children under): awaits that discovery. */
  found(kind: KindName): Promise<readonly RawObject[]>;
}

export interface Discovered {
  objects: RawObject[];
  /** Set when only some of its objects were read: why (said in the plan). */
  unlisted?: string;
  /** The Turris contract templates its entries name (the Turris invitation kind). */
  contractTemplates?: ContractTemplate[];
}

/** The live objects of a kind in a snapshot. */
export function liveObjectsOf(kind: Pick<KindModule, 'kind'>, live: LiveSnapshot): readonly RawObject[] {
  return live.objects[kind.kind] ?? [];
}

/** An object of `kind` in words (its `describe`, or the noun and the quoted names). */
export function describeObject(kind: KindModule, parts: readonly string[], suffix = ''): string {
  return kind.describe ? kind.describe(parts, suffix) : `${kind.noun} ${quotedPath(parts, suffix)}`;
}

/** The key of an object of `kind` from its identity. */
export function keyOf(kind: Pick<KindModule, 'key'>, identity: Record<string, string>): string {
  return keyOfParts(kind, kind.key.parts.map((p) => identity[p]));
}

/** The key of an object of `kind` from its key's parts, in order. */
export function keyOfParts(kind: Pick<KindModule, 'key'>, parts: readonly string[]): string {
  return encodeKey(parts, kind.key.separators);
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
