/**
 * The shapes that flow through downline's pure core: desired state in, Plan out.
 * Every type here is plain data (JSON-serialisable) so a Plan can be saved, diffed and replayed.
 */

/** A position in a config file. 1-based line and column, as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** In a roster (CSV or xlsx) `line` is the row and `column` the column a spreadsheet shows; `cell` names it (`C7`, `Sheet1!C7`). */
  cell?: string;
  /** In a CSV roster, the line the row starts on (a quoted field may span lines): where a pull-request annotation goes. */
  textLine?: number;
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Value[] | { [key: string]: Value };

/** A comparable, name-space projection of an object: ids already turned into names. */
export type View = Record<string, Value>;

/** The built-in kinds; the registry (src/kinds/index.ts) accepts others, so a kind name is open. */
export type BuiltinKindName = 'carrier' | 'product' | 'commissionLevel' | 'assignment' | 'invite' | 'turrisInvite';
export type KindName = BuiltinKindName | (string & {});

/**
 * Where an object lives in the plan. `key` is the natural key in name-space, its parts encoded by
 * core/address.ts (e.g. `Acme/Term Life`, `A/"B/C"` for a product named B/C).
 */
export interface Address {
  kind: KindName;
  key: string;
}

/** `${kind}.${key}` — the string form used for dependencies and the id table. */
export type AddressKey = string;

/**
 * `terminate` (SPEC §11) ends a contract assignment with a PUT (terminal status, reason, end date):
 * unlike `delete`, the assignment and its hierarchy history stay.
 */
export type Action = 'create' | 'update' | 'delete' | 'terminate' | 'noop';

/** One field of an update. `before` is undefined only when the live object lacks the field. */
export interface FieldChange {
  field: string;
  before: Value | undefined;
  after: Value;
  /**
   * Set when the API does not read the field back, so `before` is not the live value: it says what
   * the change rests on instead (the config at a git base, or --push-unverified).
   */
  basis?: string;
}

/**
 * A reference to an id that is known only at apply time (the id of an object created earlier in the
 * same run). Appears inside operation bodies; path references use `{n}` tokens indexed into `refs`.
 */
export interface IdRef {
  $ref: AddressKey;
}

/**
 * One HTTP write that apply performs, exactly as planned.
 * Invariants: `path` is relative to the API base; every `{n}` token in it indexes `refs`;
 * changes that share a `batch` key are sent as one bulk request (bodies concatenated into `batchPath`).
 */
export interface Operation {
  api: 'agentsync' | 'turris';
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  refs: AddressKey[];
  body?: Value;
  /**
   * Changes with the same batch key may go in one bulk request to `batch.path`: the bodies in plan
   * order, as an array, or as `{ [wrap]: [...] }` when `wrap` is set. A batch of one uses the
   * change's own path and body.
   */
  batch?: { key: string; path: string; refs: AddressKey[]; wrap?: string };
  /** Turris: the deterministic idempotency key sent with the POST. */
  idempotencyKey?: string;
}

/**
 * A single planned change, Terraform-style.
 * Invariants: `before` is null iff action is 'create'; `after` is null iff action is 'delete';
 * `fields` is non-empty iff action is 'update' or 'terminate'; `operation` is null iff action is 'noop';
 * `liveId` and `fingerprint` are null iff there was no live object (create). The constructors in
 * core/change.ts are the only way a Change is made, so these hold by construction.
 */
export interface Change {
  address: Address;
  /** The natural key's parts in name-space, e.g. { carrier, product } — how apply finds the object again. */
  identity: Record<string, string>;
  action: Action;
  before: View | null;
  after: View | null;
  fields: FieldChange[];
  /** Address keys this change must wait for (parents, referenced levels). */
  dependsOn: AddressKey[];
  liveId: string | null;
  /** Hash of the live object this change was computed against; apply --plan refuses when it moved. */
  fingerprint: string | null;
  operation: Operation | null;
  /** Human notes shown beside the change (e.g. workflow progress that is not reverted). */
  notes: string[];
  /**
   * Declared fields the API does not read back and this change does not write: downline cannot say
   * whether the live object matches them. Never empty-and-silent: every renderer lists them.
   */
  unverified?: string[];
  source?: SourceLocation;
}

/** A live object that exists in the account but not in the config. Never touched unless pruned. */
export interface UnmanagedObject {
  address: Address;
  liveId: string;
}

export type Severity = 'error' | 'warning';

/** A problem found anywhere in the pipeline, reported once with its location and a hint. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  hint?: string;
  source?: SourceLocation;
  /** For problems about an object rather than a place in a file. */
  address?: string;
}

/** A declared field the API does not read back: reported once per kind and field, never diffed. */
export interface UncomparableField {
  kind: KindName;
  field: string;
}

/**
 * A change that waits for its date (SPEC §12): an entry's `effective:` (or an assignment's `until:`)
 * is after the plan's reference date. Listed, counted as `scheduled`, never executed: not an operation.
 */
export interface ScheduledChange {
  /** YYYY-MM-DD from which it is an ordinary change. */
  date: string;
  /** `effective` (the entry's date) or `until` (an assignment's end). */
  reason: 'effective' | 'until';
  address: Address;
  identity: Record<string, string>;
  action: Exclude<Action, 'noop' | 'delete'>;
  before: View | null;
  after: View;
  fields: FieldChange[];
  source?: SourceLocation;
}

export interface Plan {
  changes: Change[];
  /** Changes waiting for their date; absent in plans made before dates existed (read as none). */
  scheduled?: ScheduledChange[];
  unmanaged: UnmanagedObject[];
  uncomparable: UncomparableField[];
  diagnostics: Diagnostic[];
  /** `--only-due`: how many changes were left out as not due (absent in other plans). */
  notDue?: number;
}

export function addressKey(address: Address): AddressKey {
  return `${address.kind}.${address.key}`;
}
