/**
 * ASSUMPTION (SPEC §11): the assignment status names that end a position. The live
 * `assignmentStatuses` list does not mark them, so this one constant decides.
 */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'TERMINATED', 'TERMINATED_FOR_CAUSE', 'RELEASED', 'CANCELLED', 'DECLINED', 'RESIGNED', 'DECEASED', 'REJECTED', 'EXPIRED', 'WITHDRAWN',
]);

/** A status name as written (APPROVED, or its description, e.g. "Terminated for Cause") is terminal. */
export const isTerminal = (status: string | undefined): boolean => status !== undefined && TERMINAL_STATUSES.has(status.trim().toUpperCase().replace(/[\s-]+/g, '_'));
