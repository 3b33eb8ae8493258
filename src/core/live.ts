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

export interface ContractTemplate {
  _id: string;
  name: string;
  status?: string;
}

/** A commission level, tagged with the product it was listed under (the API's level carries none). */
export type LiveLevel = RawObject & { productId: string };

/** A Turris association, tagged with the key of the invitation it was looked up for (export: none). */
export type LiveAssociation = RawObject & { inviteKey?: string };

/**
 * The live objects by kind name: the built-in kinds', and a registered kind's under its own name,
 * as its `discover` listed them.
 */
export interface LiveObjects {
  carrier: RawObject[];
  /** Products of declared carriers that exist (each carries carrierId). */
  product: RawObject[];
  /** Commission levels of declared products that exist. */
  commissionLevel: LiveLevel[];
  /** Contract assignments of the declared npns (or every assignment, when listed unfiltered). */
  assignment: RawObject[];
  /** Turris associations found by the invitations' keys (producerCode or email); absent when not read. */
  turrisInvite?: LiveAssociation[];
  [kind: string]: readonly RawObject[] | undefined;
}

export interface LiveSnapshot {
  lookups: LookupTables;
  objects: LiveObjects;
  /** By kind: why only some of its live objects were read (the contract assignments of the declared producers). */
  unlisted?: { [kind: string]: string | undefined };
  /** Turris contract-container templates, which Turris invitations name: read only when the config has some. */
  contractTemplates?: ContractTemplate[];
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

export function emptyObjects(): LiveObjects {
  return { carrier: [], product: [], commissionLevel: [], assignment: [] };
}

export const EMPTY_LOOKUPS: LookupTables = { linesOfBusiness: [], contractSubmissionMethods: [], annualizations: [], assignmentStatuses: [] };
