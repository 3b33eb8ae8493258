/**
 * What discovery found in the live account (raw API objects, id-space) and the name index the
 * planner builds from it. Plain data in, plain data out: no HTTP here.
 */
export type RawObject = Record<string, unknown> & { id: string };

export interface LookupItem {
  id: string;
  name: string;
  description?: string;
}

export interface LookupTables {
  linesOfBusiness: LookupItem[];
  contractSubmissionMethods: LookupItem[];
  annualizations: LookupItem[];
  assignmentStatuses: LookupItem[];
}

export interface TurrisSnapshot {
  /** Associations found, by the invite key they were looked up with (producerCode or email). */
  associationsByKey: Record<string, RawObject[]>;
  templates: Array<{ _id: string; name: string; status?: string }>;
}

export interface LiveSnapshot {
  lookups: LookupTables;
  carriers: RawObject[];
  /** Products of declared carriers that exist (each carries carrierId). */
  products: RawObject[];
  /** Commission levels of declared products that exist, tagged with the productId they were listed under. */
  levels: Array<RawObject & { productId: string }>;
  /** Contract assignments of the declared npns (or every assignment, when listed unfiltered). */
  assignments: RawObject[];
  /** Set when only the declared producers' assignments were read: why the others could not be listed. */
  assignmentsUnlisted?: string;
  turris?: TurrisSnapshot;
  /** Live objects of the kinds that keep them by kind name (not the built-ins above), as their `discover` listed them. */
  objects?: Record<string, RawObject[]>;
  /**
   * Producer names in the Hierarchies changelog of the products that planned invitations target,
   * by product id: read only when the plan would send an invitation, as evidence of an earlier one.
   */
  contractHistory?: Record<string, ContractTrace[]>;
}

/** One changelog entry, as evidence that someone held a contract on a product before. */
export interface ContractTrace {
  producerName: string;
  displayNumber?: string;
  modifiedDate?: string;
}

export const EMPTY_LOOKUPS: LookupTables = { linesOfBusiness: [], contractSubmissionMethods: [], annualizations: [], assignmentStatuses: [] };
