import type { IdTable, KindModule } from './kind.js';
import type { ApiPort, ResolvedOperation } from './ports.js';
import { mapLimit } from './concurrency.js';
import { addressKey, type Change, type Operation, type Value, type View } from './types.js';

export type Outcome = 'succeeded' | 'failed' | 'skipped';

export interface ChangeResult {
  address: string;
  action: Change['action'];
  outcome: Outcome;
  /** Id of the object created or touched. */
  id?: string;
  /** Why it failed or was skipped, with the API's own messages. */
  error?: string;
  /** How an ambiguous failure was resolved (e.g. adopted after a lost response). */
  recovered?: string;
  inviteLink?: string;
  /** Last known state of a deleted object, so nothing is removed without a record. */
  deleted?: View | null;
  /** Last known state of a terminated contract assignment (before the PUT that ended it). */
  terminated?: View | null;
}

export interface ApplyEvent {
  type: 'start' | 'finish';
  change: Change;
  result?: ChangeResult;
}

export interface ApplyOptions {
  kinds: readonly KindModule[];
  concurrency: number;
  onEvent?: (event: ApplyEvent) => void;
  /** Once aborted (Ctrl-C), nothing new starts: what is in flight finishes, the rest is skipped. */
  signal?: AbortSignal;
}

export const NOT_STARTED = 'not started: apply was interrupted';

/** Duck-typed so core stays free of the HTTP client: any error with a status is an API failure. */
interface FailureLike {
  status: number;
  messages?: string[];
  message: string;
}
const asFailure = (e: unknown): FailureLike => (e && typeof e === 'object' && typeof (e as FailureLike).status === 'number' ? (e as FailureLike) : { status: 0, message: String((e as Error)?.message ?? e) });
const ambiguous = (f: FailureLike) => f.status === 0 || f.status >= 500;

/** A create that keeps failing ambiguously is tried at most this often, with a lookup before each retry. */
const WRITE_ATTEMPTS = 3;

/** Depth in the dependency graph of the changes that write: 0 for no pending dependency. */
function levels(changes: Change[]): Change[][] {
  const byKey = new Map(changes.map((c) => [addressKey(c.address), c]));
  const depth = new Map<string, number>();
  const visit = (c: Change, trail: Set<string>): number => {
    const key = addressKey(c.address);
    if (depth.has(key)) return depth.get(key)!;
    trail.add(key);
    let d = 0;
    for (const dep of c.dependsOn) {
      const parent = byKey.get(dep);
      if (parent && !trail.has(dep)) d = Math.max(d, visit(parent, trail) + 1);
    }
    trail.delete(key);
    depth.set(key, d);
    return d;
  };
  const out: Change[][] = [];
  for (const c of changes) (out[visit(c, new Set())] ??= []).push(c);
  return out.filter(Boolean);
}

function resolve(op: { path: string; refs: string[]; body?: Value }, ids: IdTable): { path: string; body?: Value } | string {
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

/**
 * Execute exactly the plan's operations: level by level in dependency order, each level
 * concurrently, with an id table that fills as creates succeed. Independent work continues after a
 * failure; dependents of a failed change are skipped.
 */
export async function applyPlan(changes: Change[], api: ApiPort, options: ApplyOptions): Promise<ChangeResult[]> {
  const actionable = changes.filter((c) => c.operation !== null);
  const ids: IdTable = new Map();
  const results = new Map<string, ChangeResult>();
  const kindOf = (c: Change) => options.kinds.find((k) => k.kind === c.address.kind)!;
  const pending = new Set(actionable.map((c) => addressKey(c.address)));

  const finish = (change: Change, result: Omit<ChangeResult, 'address' | 'action'>) => {
    const full: ChangeResult = { address: addressKey(change.address), action: change.action, ...result };
    if (change.action === 'delete') full.deleted = change.before;
    if (change.action === 'terminate') full.terminated = change.before;
    results.set(full.address, full);
    if (full.outcome === 'succeeded' && full.id && change.action === 'create') ids.set(full.address, full.id);
    options.onEvent?.({ type: 'finish', change, result: full });
  };

  const blockedBy = (change: Change): string | undefined =>
    change.dependsOn.find((dep) => pending.has(dep) && results.get(dep)?.outcome !== 'succeeded');

  /** A lookup by key that only concludes "absent" once the API's consistency window is over. */
  const locateSettled = async (change: Change): Promise<string | null> => {
    for (let attempt = 0; ; attempt++) {
      const found = await kindOf(change).locate(change, api, ids);
      if (found || !api.settle || !(await api.settle(attempt))) return found;
    }
  };

  const sendOne = async (change: Change, op: ResolvedOperation): Promise<void> => {
    if (options.signal?.aborted) return finish(change, { outcome: 'skipped', error: NOT_STARTED });
    const kind = kindOf(change);
    const succeed = (response: unknown, recovered?: string, id?: string) =>
      finish(change, { outcome: 'succeeded', id: id ?? kind.createdId?.(response) ?? change.liveId ?? undefined, ...(recovered ? { recovered } : {}), ...inviteLinkOf(response) });
    let lastFailure = '';
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      try {
        return succeed(await api.send(op), attempt > 0 ? `retried after ambiguous failure (${lastFailure})` : undefined);
      } catch (cause) {
        const failure = asFailure(cause);
        if (change.action === 'delete' && failure.status === 404) return succeed(undefined, 'already deleted');
        const maybeExists = change.action === 'create' && (ambiguous(failure) || (failure.status === 422 && change.address.kind === 'carrier'));
        if (!maybeExists) return finish(change, { outcome: 'failed', error: failure.message });
        lastFailure = String(failure.status || 'network');
        // The write may have committed (or another writer made it): look it up before any retry.
        try {
          const found = await locateSettled(change);
          if (found) return succeed(undefined, failure.status === 422 ? 'adopted: created by another writer' : `adopted after ambiguous failure (${lastFailure})`, found);
        } catch (again) {
          return finish(change, { outcome: 'failed', error: `${failure.message}; then the lookup by key failed: ${asFailure(again).message}` });
        }
        if (attempt === WRITE_ATTEMPTS - 1 || options.signal?.aborted) return finish(change, { outcome: 'failed', error: failure.message });
      }
    }
  };

  type Ready = Array<{ change: Change; op: ResolvedOperation }>;

  /**
   * A bulk create's answer is matched to the request by key, never by position (a reordered answer
   * would put producers on the wrong level). What the answer lacks is looked up by key; what is
   * still missing did not get created: a failure, never a success.
   */
  const adoptBulkCreated = async (ready: Ready, created: unknown[]): Promise<void> => {
    const unmatched: Ready = [];
    for (const r of ready) {
      const kind = kindOf(r.change);
      const i = created.findIndex((item) => kind.matchesCreated?.(r.change, item) && kind.createdId?.(item));
      if (i < 0) unmatched.push(r);
      else finish(r.change, { outcome: 'succeeded', id: kind.createdId!(created.splice(i, 1)[0]) });
    }
    await Promise.all(unmatched.map(async (r) => {
      try {
        const found = await locateSettled(r.change);
        if (found) finish(r.change, { outcome: 'succeeded', id: found, recovered: 'missing from the bulk answer; found by key' });
        else finish(r.change, { outcome: 'failed', error: 'the bulk create answered without this item and a lookup by key does not find it: it was not created' });
      } catch (again) {
        finish(r.change, { outcome: 'failed', error: `missing from the bulk answer; then the lookup by key failed: ${asFailure(again).message}` });
      }
    }));
  };

  /** One bulk request for the group; false when the caller should go item by item instead. */
  const sendBatch = async (ready: Ready, batch: NonNullable<Operation['batch']>): Promise<boolean> => {
    const target = resolve({ path: batch.path, refs: batch.refs }, ids);
    if (typeof target === 'string') return false;
    const bodies = ready.map((r) => r.op.body as Value);
    try {
      const response = await api.send({ api: 'agentsync', method: ready[0].op.method, path: target.path, body: batch.wrap ? { [batch.wrap]: bodies } : bodies });
      if (ready[0].change.action !== 'create') {
        ready.forEach((r) => finish(r.change, { outcome: 'succeeded', id: r.change.liveId ?? undefined }));
        return true;
      }
      await adoptBulkCreated(ready, Array.isArray(response) ? [...response] : []);
      return true;
    } catch (cause) {
      // Item by item from here, each with its own recovery, for exact per-object results. A bulk
      // create that failed ambiguously may have committed: items found by key are adopted first.
      const failure = asFailure(cause);
      if (!ambiguous(failure) || ready[0].change.action !== 'create') return false;
      const status = failure.status || 'network';
      // A lookup that fails leaves the item unknown: failed, never re-sent blindly.
      const found = await Promise.all(ready.map((r) => locateSettled(r.change).catch((e: unknown) => asFailure(e))));
      const retry: Ready = [];
      ready.forEach((r, i) => {
        const f = found[i];
        if (typeof f === 'string') finish(r.change, { outcome: 'succeeded', id: f, recovered: `adopted after ambiguous bulk failure (${status})` });
        else if (f) finish(r.change, { outcome: 'failed', error: `bulk create failed (${status}); then the lookup by key failed: ${f.message}` });
        else retry.push(r);
      });
      await Promise.all(retry.map((r) => sendOne(r.change, r.op)));
      return true;
    }
  };

  const runGroup = async (group: Change[]): Promise<void> => {
    const ready: Ready = [];
    for (const change of group) {
      if (options.signal?.aborted) {
        finish(change, { outcome: 'skipped', error: NOT_STARTED });
        continue;
      }
      const blocker = blockedBy(change);
      if (blocker) {
        finish(change, { outcome: 'skipped', error: `depends on ${blocker}, which did not succeed` });
        continue;
      }
      options.onEvent?.({ type: 'start', change });
      const op = change.operation!;
      const resolved = resolve(op, ids);
      if (typeof resolved === 'string') finish(change, { outcome: 'skipped', error: `no id for ${resolved}` });
      else ready.push({ change, op: { api: op.api, method: op.method, ...resolved, ...(op.idempotencyKey ? { idempotencyKey: op.idempotencyKey } : {}) } });
    }
    const batch = ready[0]?.change.operation?.batch;
    if (ready.length > 1 && batch && (await sendBatch(ready, batch))) return;
    await Promise.all(ready.map((r) => sendOne(r.change, r.op)));
  };

  for (const level of levels(actionable)) {
    const groups = new Map<string, Change[]>();
    for (const change of level) {
      const key = change.operation?.batch?.key ?? `single:${addressKey(change.address)}`;
      const group = groups.get(key);
      if (group) group.push(change);
      else groups.set(key, [change]);
    }
    // Bulk endpoints accept a bounded number of items; 100 keeps bodies small.
    const tasks = [...groups.values()].flatMap((g) => (g.length > 1 ? chunk(g, 100) : [g]));
    await mapLimit(tasks, options.concurrency, runGroup);
  }
  return actionable.map((c) => results.get(addressKey(c.address))!);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function inviteLinkOf(response: unknown): { inviteLink?: string } {
  if (!response || typeof response !== 'object') return {};
  const r = response as { inviteLink?: unknown; data?: { url?: unknown } };
  if (typeof r.inviteLink === 'string') return { inviteLink: r.inviteLink };
  if (typeof r.data?.url === 'string') return { inviteLink: r.data.url };
  return {};
}

