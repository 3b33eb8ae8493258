import { KINDS } from '../kinds/index.js';
import type { Api } from '../api/client.js';
import { discover } from '../api/discover.js';
import type { ChangeResult } from '../core/apply-plan.js';
import { createdScope, markConflicts, writerConflicts } from '../core/concurrent-writers.js';
import { LiveIndex } from '../core/live-index.js';
import { addressKey, type Change } from '../core/types.js';
import { label } from '../render/labels.js';

/**
 * After the writes: read again what this apply created and fail every created key that another
 * writer created too (see core/concurrent-writers.ts). A re-read that fails leaves the apply
 * unverified, which is not success either.
 */
export async function verifyCreates(changes: Change[], results: ChangeResult[], api: Api, concurrency: number): Promise<{ results: ChangeResult[]; unverified?: string }> {
  const scope = createdScope(changes, results);
  if (scope.entries.carrier.length === 0 && scope.entries.assignment.length === 0) return { results };
  try {
    // Keys are compared, no name resolved: the lookup lists are not read again.
    const index = new LiveIndex(await discover(api, scope, concurrency, { lookups: false }), KINDS);
    const byAddress = new Map(changes.map((c) => [addressKey(c.address), c]));
    return { results: markConflicts(changes, results, writerConflicts(changes, results, index), (address) => (byAddress.has(address) ? label(byAddress.get(address)!) : address)) };
  } catch (cause) {
    return { results, unverified: (cause as Error).message };
  }
}
