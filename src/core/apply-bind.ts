import type { IdTable } from './kind.js';
import type { ResolvedOperation } from './ports.js';
import type { Operation, Value } from './types.js';

/**
 * Bind: put the ids of objects created earlier in the run into a planned write — every `{n}` path
 * token (indexing `refs`) and every `{ $ref }` body value. Returns the address key of the first id
 * the table does not hold instead, when the write cannot be made yet.
 */
export function bind(op: { path: string; refs: string[]; body?: Value }, ids: IdTable): { path: string; body?: Value } | string {
  let missing: string | undefined;
  const id = (key: string) => ids.get(key) ?? ((missing = key), '');
  const path = op.path.replace(/\{(\d+)\}/g, (_m, n: string) => encodeURIComponent(id(op.refs[Number(n)])));
  const walk = (v: Value): Value => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      if (typeof (v as { $ref?: unknown }).$ref === 'string' && Object.keys(v).length === 1) return id((v as { $ref: string }).$ref);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const body = op.body === undefined ? undefined : walk(op.body);
  return missing ? missing : { path, ...(body !== undefined ? { body } : {}) };
}

/** A whole operation bound, ready for the port (or the address key of the id still missing). */
export function bindOperation(op: Operation, ids: IdTable): ResolvedOperation | string {
  const bound = bind(op, ids);
  if (typeof bound === 'string') return bound;
  return { api: op.api, method: op.method, ...bound, ...(op.idempotencyKey ? { idempotencyKey: op.idempotencyKey } : {}) };
}
