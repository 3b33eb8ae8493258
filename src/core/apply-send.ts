import type { ChangeResult } from './apply-plan.js';
import { bind } from './apply-bind.js';
import type { IdTable, KindModule } from './kind.js';
import type { ApiPort, ResolvedOperation } from './ports.js';
import type { Change, KindName, Operation, Value } from './types.js';

export const NOT_STARTED = 'not started: apply was interrupted';

/** What sending needs from the run: the port, the id table, each change's kind, and where results go. */
export interface SendContext {
  api: ApiPort;
  ids: IdTable;
  /** A kind by name: a change's own, or a parent kind's listing to find an object again. */
  kind(name: KindName): KindModule;
  signal?: AbortSignal;
  finish(change: Change, result: Omit<ChangeResult, 'address' | 'action'>): void;
}

export type Ready = Array<{ change: Change; op: ResolvedOperation }>;

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

/** A lookup by key that only concludes "absent" once the API's consistency window is over. */
async function locateSettled(run: SendContext, change: Change): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    const found = await run.kind(change.address.kind).locate(change, run.api, { ids: run.ids, kind: run.kind });
    if (found || !run.api.settle || !(await run.api.settle(attempt))) return found;
  }
}

/**
 * Send: one write. A failure that may have committed (network, 5xx, or a conflict the kind adopts)
 * is followed by a lookup by key before any retry, so nothing is created twice.
 */
export async function sendOne(run: SendContext, change: Change, op: ResolvedOperation): Promise<void> {
  if (run.signal?.aborted) return run.finish(change, { outcome: 'skipped', error: NOT_STARTED });
  const kind = run.kind(change.address.kind);
  const succeed = (response: unknown, recovered?: string, id?: string) =>
    run.finish(change, { outcome: 'succeeded', id: id ?? kind.createdId?.(response) ?? change.liveId ?? undefined, ...(recovered ? { recovered } : {}), ...inviteLinkOf(response) });
  let lastFailure = '';
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    try {
      return succeed(await run.api.send(op), attempt > 0 ? `retried after ambiguous failure (${lastFailure})` : undefined);
    } catch (cause) {
      const failure = asFailure(cause);
      if (change.action === 'delete' && failure.status === 404) return succeed(undefined, 'already deleted');
      const conflict = kind.adoptOn?.includes(failure.status) ?? false;
      const maybeExists = change.action === 'create' && (ambiguous(failure) || conflict);
      if (!maybeExists) return run.finish(change, { outcome: 'failed', error: failure.message });
      lastFailure = String(failure.status || 'network');
      // The write may have committed (or another writer made it): look it up before any retry.
      try {
        const found = await locateSettled(run, change);
        if (found) return succeed(undefined, conflict ? 'adopted: created by another writer' : `adopted after ambiguous failure (${lastFailure})`, found);
      } catch (again) {
        return run.finish(change, { outcome: 'failed', error: `${failure.message}; then the lookup by key failed: ${asFailure(again).message}` });
      }
      if (attempt === WRITE_ATTEMPTS - 1 || run.signal?.aborted) return run.finish(change, { outcome: 'failed', error: failure.message });
    }
  }
}

/**
 * Send a group as one bulk request; false when the caller should go item by item instead (an id
 * for the bulk path is missing, or the failure says nothing was written).
 */
export async function sendBatch(run: SendContext, ready: Ready, batch: NonNullable<Operation['batch']>): Promise<boolean> {
  const target = bind({ path: batch.path, refs: batch.refs }, run.ids);
  if (typeof target === 'string') return false;
  const bodies = ready.map((r) => r.op.body as Value);
  try {
    const response = await run.api.send({ api: 'agentsync', method: ready[0].op.method, path: target.path, body: batch.wrap ? { [batch.wrap]: bodies } : bodies });
    if (ready[0].change.action !== 'create') {
      ready.forEach((r) => run.finish(r.change, { outcome: 'succeeded', id: r.change.liveId ?? undefined }));
      return true;
    }
    await adoptBulkCreated(run, ready, Array.isArray(response) ? [...response] : []);
    return true;
  } catch (cause) {
    const failure = asFailure(cause);
    if (!ambiguous(failure) || ready[0].change.action !== 'create') return false;
    await recoverBulkCreate(run, ready, failure.status || 'network');
    return true;
  }
}

/**
 * A bulk create that failed ambiguously may have committed: items found by key are adopted, the
 * rest go item by item, each with its own recovery. A lookup that fails leaves the item unknown:
 * failed, never re-sent blindly.
 */
async function recoverBulkCreate(run: SendContext, ready: Ready, status: number | string): Promise<void> {
  const found = await Promise.all(ready.map((r) => locateSettled(run, r.change).catch((e: unknown) => asFailure(e))));
  const retry: Ready = [];
  ready.forEach((r, i) => {
    const f = found[i];
    if (typeof f === 'string') run.finish(r.change, { outcome: 'succeeded', id: f, recovered: `adopted after ambiguous bulk failure (${status})` });
    else if (f) run.finish(r.change, { outcome: 'failed', error: `bulk create failed (${status}); then the lookup by key failed: ${f.message}` });
    else retry.push(r);
  });
  await Promise.all(retry.map((r) => sendOne(run, r.change, r.op)));
}

/**
 * A bulk create's answer is matched to the request by key, never by position (a reordered answer
 * would put producers on the wrong level). What the answer lacks is looked up by key; what is
 * still missing did not get created: a failure, never a success.
 */
async function adoptBulkCreated(run: SendContext, ready: Ready, created: unknown[]): Promise<void> {
  const unmatched: Ready = [];
  for (const r of ready) {
    const kind = run.kind(r.change.address.kind);
    const i = created.findIndex((item) => kind.matchesCreated?.(r.change, item) && kind.createdId?.(item));
    if (i < 0) unmatched.push(r);
    else run.finish(r.change, { outcome: 'succeeded', id: kind.createdId!(created.splice(i, 1)[0]) });
  }
  await Promise.all(unmatched.map(async (r) => {
    try {
      const found = await locateSettled(run, r.change);
      if (found) run.finish(r.change, { outcome: 'succeeded', id: found, recovered: 'missing from the bulk answer; found by key' });
      else run.finish(r.change, { outcome: 'failed', error: 'the bulk create answered without this item and a lookup by key does not find it: it was not created' });
    } catch (again) {
      run.finish(r.change, { outcome: 'failed', error: `missing from the bulk answer; then the lookup by key failed: ${asFailure(again).message}` });
    }
  }));
}

function inviteLinkOf(response: unknown): { inviteLink?: string } {
  if (!response || typeof response !== 'object') return {};
  const r = response as { inviteLink?: unknown; data?: { url?: unknown } };
  if (typeof r.inviteLink === 'string') return { inviteLink: r.inviteLink };
  if (typeof r.data?.url === 'string') return { inviteLink: r.data.url };
  return {};
}
