/**
 * ASSUMPTION (SPEC §11): which assignment statuses end a contract. The live `assignmentStatuses`
 * list carries no "terminal" flag, so the set of terminal NAMES is this one constant (the emulator
 * keeps its own copy in src/emulator/lookups.ts). A terminal status in the config is always
 * enforced; a live assignment in one is never revived unless its entry says `statusPolicy: enforce`.
 */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'TERMINATED', 'TERMINATED_FOR_CAUSE', 'CANCELLED', 'DECLINED', 'RELEASED', 'RESIGNED', 'DECEASED', 'REJECTED', 'EXPIRED', 'WITHDRAWN',
]);

/** The status prune terminations and `until:` dates set unless `prune.terminationStatus` says otherwise. */
export const DEFAULT_TERMINATION_STATUS = 'TERMINATED';

/**
 * Whether a status name (or, offline, what the config wrote: `Terminated for Cause` is
 * TERMINATED_FOR_CAUSE) is terminal.
 */
export function isTerminal(name: string | undefined): boolean {
  return name !== undefined && TERMINAL_STATUSES.has(name.trim().toUpperCase().replace(/[\s-]+/g, '_'));
}
