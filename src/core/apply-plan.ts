import { bindOperation } from './apply-bind.js';
import { schedule } from './apply-schedule.js';
import { NOT_STARTED, sendBatch, sendOne, type Ready, type SendContext } from './apply-send.js';
import type { IdTable, KindModule } from './kind.js';
import type { ApiPort } from './ports.js';
import { mapLimit } from './concurrency.js';
import { addressKey, type Change, type View } from './types.js';

export { NOT_STARTED };

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

/**
 * Execute exactly the plan's operations: schedule (levels in dependency order, each level's groups
 * concurrently), bind (ids created earlier in the run fill the id table) and send. Independent work
 * continues after a failure; dependents of a failed change are skipped.
 */
export async function applyPlan(changes: Change[], api: ApiPort, options: ApplyOptions): Promise<ChangeResult[]> {
  const actionable = changes.filter((c) => c.operation !== null);
  const ids: IdTable = new Map();
  const results = new Map<string, ChangeResult>();
  const run: RunContext = {
    api, ids, signal: options.signal, onEvent: options.onEvent,
    kind: (name) => options.kinds.find((k) => k.kind === name)!,
    pending: new Set(actionable.map((c) => addressKey(c.address))),
    results,
    finish(change, result) {
      const full: ChangeResult = { address: addressKey(change.address), action: change.action, ...result };
      if (change.action === 'delete') full.deleted = change.before;
      if (change.action === 'terminate') full.terminated = change.before;
      results.set(full.address, full);
      if (full.outcome === 'succeeded' && full.id && change.action === 'create') ids.set(full.address, full.id);
      options.onEvent?.({ type: 'finish', change, result: full });
    },
  };
  for (const groups of schedule(actionable)) await mapLimit(groups, options.concurrency, (group) => runGroup(run, group));
  return actionable.map((c) => results.get(addressKey(c.address))!);
}

interface RunContext extends SendContext {
  onEvent?: ApplyOptions['onEvent'];
  /** Address keys of every change of the run that writes. */
  pending: Set<string>;
  results: Map<string, ChangeResult>;
}

/** One group: each change skipped (interrupted, blocked, an id missing) or bound, then sent — in one bulk request when it can. */
async function runGroup(run: RunContext, group: Change[]): Promise<void> {
  const ready: Ready = [];
  for (const change of group) {
    if (run.signal?.aborted) {
      run.finish(change, { outcome: 'skipped', error: NOT_STARTED });
      continue;
    }
    const blocker = change.dependsOn.find((dep) => run.pending.has(dep) && run.results.get(dep)?.outcome !== 'succeeded');
    if (blocker) {
      run.finish(change, { outcome: 'skipped', error: `depends on ${blocker}, which did not succeed` });
      continue;
    }
    run.onEvent?.({ type: 'start', change });
    const op = bindOperation(change.operation!, run.ids);
    if (typeof op === 'string') run.finish(change, { outcome: 'skipped', error: `no id for ${op}` });
    else ready.push({ change, op });
  }
  const batch = ready[0]?.change.operation?.batch;
  if (ready.length > 1 && batch && (await sendBatch(run, ready, batch))) return;
  await Promise.all(ready.map((r) => sendOne(run, r.change, r.op)));
}
