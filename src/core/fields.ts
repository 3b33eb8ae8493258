import type { Comparator } from './compare.js';
import type { Lookups } from './lookups.js';
import type { RawObject } from './live.js';
import type { Diagnostic, SourceLocation, Value, View } from './types.js';

/** What turning a declared value into its wire form may consult, and where its errors go. */
export interface WriteContext {
  lookups: Lookups;
  diagnostics: Diagnostic[];
  /** Where the value was declared, for a located error. */
  at?: SourceLocation;
}

/** What exporting a live value may consult: ids to names, and a warning (naming the object) for an id no lookup knows. */
export interface ExportContext {
  lookups: Lookups;
  /** The lookup name of an id, or undefined (and a warning that it is left out) when unknown. */
  name(id: unknown, what: string): string | undefined;
}

/**
 * One declared field of a kind: the only place its config name, wire name, mappings, comparison
 * and export are stated. The desired view, the live view, the write body, the comparators, the
 * config's field list and the export of a kind are all derived from its list of these.
 */
export interface FieldSpec {
  /** The name in the config, in views and in plans. */
  name: string;
  /** The field a live object carries it in and a write sends it as (default: `name`). */
  wire?: string;
  /** How desired and live compare (default: exactly). `set` fields are also sorted when read from the config. */
  compare?: Comparator;
  /** Live wire value → view value (ids to names); undefined leaves it out of the view. Default: as is. */
  read?(value: unknown, lookups: Lookups): Value | undefined;
  /** Declared value → its view (canonical names) and wire value (ids); `wire` undefined sends nothing. Default: the value both ways. */
  write?(value: Value, ctx: WriteContext): { view: Value; wire?: Value };
  /** The API's documented answers carry it (`doctor` checks that they do); otherwise it is written but never read back. */
  readBack?: boolean;
  /** Live wire value (maybe absent) → what the export writes; undefined leaves it out. Default: present, non-empty values as they are. */
  export?(value: unknown, ctx: ExportContext): unknown;
}

export const wireOf = (f: FieldSpec): string => f.wire ?? f.name;

/** The config's field names, in the order the config, plans and export write them. */
export const fieldNames = (spec: readonly FieldSpec[]): string[] => spec.map((f) => f.name);

export function comparatorsOf(spec: readonly FieldSpec[]): Record<string, Comparator> {
  return Object.fromEntries(spec.filter((f) => f.compare && f.compare !== 'exact').map((f) => [f.name, f.compare!]));
}

/** The live object in name-space: the fields it carries, each read through its spec (added to `view` when given). */
export function liveViewOf(spec: readonly FieldSpec[], raw: RawObject, lookups: Lookups, view: View = {}): View {
  for (const f of spec) {
    const value = raw[wireOf(f)];
    if (value === undefined) continue;
    const read = f.read ? f.read(value, lookups) : (value as Value);
    if (read !== undefined) view[f.name] = read;
  }
  return view;
}

/**
 * The declared fields (in their declared order) as the view to compare and the write body to send:
 * lookup names resolved to canonical names and ids. `body` starts with `head` (the key fields).
 */
export function declaredWrite(spec: readonly FieldSpec[], fields: View, ctx: Omit<WriteContext, 'at'>, sources: Record<string, SourceLocation>, head: Record<string, Value>): { view: View; body: Record<string, Value> } {
  const byName = new Map(spec.map((f) => [f.name, f]));
  const view: View = { ...fields };
  const body: Record<string, Value> = { ...head };
  for (const [name, value] of Object.entries(fields)) {
    const f = byName.get(name);
    const written = f?.write ? f.write(value, { ...ctx, at: sources[name] }) : { view: value, wire: value };
    view[name] = written.view;
    if (written.wire !== undefined) body[f ? wireOf(f) : name] = written.wire;
  }
  return { view, body };
}

/** The fields a live object exports, in spec order. */
export function exportedFields(spec: readonly FieldSpec[], raw: RawObject, ctx: ExportContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec) {
    const value = raw[wireOf(f)];
    const exported = f.export ? f.export(value, ctx) : present(value) ? value : undefined;
    if (exported !== undefined) out[f.name] = exported;
  }
  return out;
}

/** A value worth writing: set, and not an empty list. */
export const present = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** Declared fields no live object of the kind carries: the API does not read them back (or none is set). */
export function unreadFields(spec: readonly FieldSpec[], objects: readonly RawObject[]): string[] {
  return spec.filter((f) => !objects.some((o) => o[wireOf(f)] !== undefined && o[wireOf(f)] !== null)).map((f) => f.name);
}
