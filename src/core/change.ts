import { fingerprint } from './fingerprint.js';
import type { RawObject } from './live.js';
import type { Change, FieldChange, Operation, View } from './types.js';

/**
 * The only way a Change is made: one constructor per action, so the invariants types.ts states hold
 * by construction (no `before` on a create, no `after` on a delete, fields exactly when an update
 * or termination writes some, an operation exactly when something is written, a live id and
 * fingerprint exactly when a live object was planned against). A violation is a bug in a kind:
 * it throws rather than print a plan that says one thing and does another.
 */

/** What every change carries, whatever its action. */
export interface ChangeBase {
  address: Change['address'];
  identity: Record<string, string>;
  dependsOn?: string[];
  notes?: string[];
  source?: Change['source'];
  /** Declared fields the API does not read back (see Change.unverified); left out when none. */
  unverified?: string[];
}

/** The live object a change was planned against: its id and content hash. */
export interface LiveRef {
  liveId: string;
  fingerprint: string;
}

/** The live object as a change records it. */
export const liveRef = (raw: RawObject): LiveRef => ({ liveId: raw.id, fingerprint: fingerprint(raw) });

type Decided = Pick<Change, 'action' | 'before' | 'after' | 'fields' | 'liveId' | 'fingerprint' | 'operation'>;

/**
 * The one empty list every change without fields, dependencies or notes shares (frozen: nothing may
 * add to it). A large book is mostly unchanged objects: three fresh arrays each were 100,000 × 3.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const orNone = <T>(list: T[] | undefined): T[] => (list && list.length > 0 ? list : NONE);

/** Every change with its fields in one order (the order of the Change type), whichever kind made it. */
function make(base: ChangeBase, d: Decided): Change {
  return {
    address: base.address, identity: base.identity, action: d.action, before: d.before, after: d.after, fields: orNone(d.fields),
    dependsOn: orNone(base.dependsOn), liveId: d.liveId, fingerprint: d.fingerprint, operation: d.operation, notes: orNone(base.notes),
    ...(base.unverified?.length ? { unverified: base.unverified } : {}), ...(base.source ? { source: base.source } : {}),
  };
}

function written(base: ChangeBase, what: string, fields: FieldChange[]): FieldChange[] {
  if (fields.length === 0) throw new Error(`${base.address.kind}.${base.address.key}: ${what} without a changed field`);
  return fields;
}

export function create(base: ChangeBase, after: View, operation: Operation): Change {
  return make(base, { action: 'create', before: null, after, fields: NONE, liveId: null, fingerprint: null, operation });
}

export function update(base: ChangeBase, live: LiveRef, before: View, after: View, fields: FieldChange[], operation: Operation): Change {
  return make(base, { action: 'update', before, after, fields: written(base, 'an update', fields), ...live, operation });
}

export function noop(base: ChangeBase, live: LiveRef, before: View, after: View): Change {
  return make(base, { action: 'noop', before, after, fields: NONE, ...live, operation: null });
}

export function del(base: ChangeBase, live: LiveRef, before: View, operation: Operation): Change {
  return make(base, { action: 'delete', before, after: null, fields: NONE, ...live, operation });
}

/** SPEC §11: a PUT that ends a contract assignment; the object (and its hierarchy history) stays. */
export function terminate(base: ChangeBase, live: LiveRef, before: View, after: View, fields: FieldChange[], operation: Operation): Change {
  return make(base, { action: 'terminate', before, after, fields: written(base, 'a termination', fields), ...live, operation });
}
