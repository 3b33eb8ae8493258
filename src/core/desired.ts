/**
 * The desired state: the validated config in name-space, each object carrying where it was declared.
 * It is the planner's only view of the config.
 */
import type { KindName, SourceLocation, View } from './types.js';
import { encodeKey } from './address.js';

export const ALL_DIVISIONS = [
  'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS',
  'KY', 'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV',
  'NY', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY',
] as const;

/** The ten free-form fields carriers, products, levels and contracts pass through. */
export const USER_DEFINED = Array.from({ length: 10 }, (_, i) => `userDefined${i + 1}`);

export interface Located {
  source: SourceLocation;
  /** Location of each declared field's value, for errors found later (lookups, API rejections). */
  fieldSources: Record<string, SourceLocation>;
  /** The declared, comparable fields in name-space (lookup NAMES, not ids). Undeclared fields are absent. */
  fields: View;
  /** `effective: YYYY-MM-DD` (SPEC §12): before it, this entry's creates and updates are scheduled, not made. */
  effective?: string;
}

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
}

export interface DesiredCarrier extends Located {
  name: string;
}

export interface DesiredProduct extends Located {
  carrier: string;
  name: string;
}

export interface DesiredLevel extends Located {
  carrier: string;
  product: string;
  name: string;
}

export type StatusPolicy = 'initial' | 'enforce';

/**
 * fields: commissionLevel (name) and optionally status (lookup name), upline (the NPN of the direct
 * upline on this product; absent = a top position) and administrativeDivisions (sorted codes).
 */
export interface DesiredAssignment extends Located {
  npn: string;
  carrier: string;
  product: string;
  statusPolicy: StatusPolicy;
  /** `until: YYYY-MM-DD` (SPEC §12): from that date the assignment is terminated, ending on it. */
  until?: string;
}

export interface DesiredInviteContract {
  carrier: string;
  product: string;
  commissionLevel: string;
  administrativeDivisions?: string[];
  uplineNpn?: string;
  userDefined: Record<string, string>;
  source: SourceLocation;
  fieldSources: Record<string, SourceLocation>;
}

export interface DesiredInvite extends Located {
  producer: { npn: string; email: string; firstName: string; lastName: string };
  inviter?: Person;
  contracts: DesiredInviteContract[];
}

/**
 * A declared object of a kind that keeps its entries by kind (a kind registered beside the
 * built-ins): its identity (the key's parts by name) and its declared fields.
 */
export interface DesiredEntry extends Located {
  identity: Record<string, string>;
}

export interface DesiredTurrisInvite extends Located {
  /** producerCode if set, else the contact email. */
  key: string;
  downstreamEntityName: string;
  category: string;
  contact: Person;
  isNpnRequired: boolean;
  producerCode?: string;
  externalId?: string;
  parentProducerCode?: string;
  contractTemplate?: string;
  preContractReview: boolean;
  useInviteUrl: boolean;
  customFieldValues?: Record<string, string | number | boolean>;
}

/** Levels of the hierarchy integrity rules (SPEC §10); `rules:` in the config overrides them. */
export type RuleLevel = 'error' | 'warning' | 'off';
export const HIERARCHY_RULE_DEFAULTS = {
  uplineExists: 'error', noCycles: 'error', levelNotAboveUpline: 'error', statesWithinUpline: 'warning', activeUnderTerminated: 'error',
} as const satisfies Record<string, RuleLevel>;
export type HierarchyRule = keyof typeof HIERARCHY_RULE_DEFAULTS;

export interface PruneSettings {
  /**
   * By kind name: undeclared live objects of the kind (under declared parents) are pruned — deleted,
   * or for contract assignments terminated when `terminate` is set.
   */
  kinds: { [kind: string]: boolean | undefined };
  /** `prune: { assignments: terminate }` (SPEC §11): terminate with this status (a terminal name) and reason, never delete. */
  terminate?: { status: string; reason?: string; source?: SourceLocation };
}

/** Whether the config prunes objects of `kind`. */
export function prunes(prune: PruneSettings, kind: KindName): boolean {
  return prune.kinds[kind] === true;
}

/** Whether pruning deletes anything (and so needs the delete scope): terminating is a PUT. */
export function prunesByDelete(prune: PruneSettings): boolean {
  return Object.entries(prune.kinds).some(([kind, on]) => on === true && !(kind === 'assignment' && prune.terminate));
}

/** SPEC §15: licence readiness of what the plan creates; `warning` unless the config says otherwise. */
export interface ReadinessSettings {
  licenses: 'error' | 'warning' | 'off';
  source?: SourceLocation;
}

export interface DesiredState {
  agency: { organizationId?: string; inviter?: Person; source?: SourceLocation };
  prune: PruneSettings;
  readiness: ReadinessSettings;
  rules: Record<HierarchyRule, RuleLevel>;
  /** The declared objects, by kind name. */
  entries: DesiredEntries;
}

/**
 * Declared objects by kind name: the built-in kinds' entry types, and a registered kind's
 * `DesiredEntry` list under its own name (read with `entriesOf`).
 */
export interface DesiredEntries {
  carrier: DesiredCarrier[];
  product: DesiredProduct[];
  commissionLevel: DesiredLevel[];
  assignment: DesiredAssignment[];
  invite: DesiredInvite[];
  turrisInvite: DesiredTurrisInvite[];
  [kind: string]: readonly Located[] | undefined;
}

/** The declared entries of a kind that keeps them as `DesiredEntry` (identity + fields). */
export function entriesOf(desired: DesiredState, kind: KindName): readonly DesiredEntry[] {
  return (desired.entries[kind] ?? []) as readonly DesiredEntry[];
}

export function emptyDesiredState(): DesiredState {
  return {
    agency: {},
    prune: { kinds: {} },
    readiness: { licenses: 'warning' },
    rules: { ...HIERARCHY_RULE_DEFAULTS },
    entries: { carrier: [], product: [], commissionLevel: [], assignment: [], invite: [], turrisInvite: [] },
  };
}

/** Natural keys, shared by config rules, the planner and apply. */
export const keys = {
  carrier: (carrier: string) => encodeKey([carrier]),
  product: (carrier: string, product: string) => encodeKey([carrier, product]),
  level: (carrier: string, product: string, level: string) => encodeKey([carrier, product, level]),
  assignment: (npn: string, carrier: string, product: string) => encodeKey([npn, carrier, product], '@/'),
  invite: (npn: string) => encodeKey([npn]),
};
