import { emptyDesiredState, keys, type DesiredState } from '../../../src/core/desired.js';
import { emptyObjects, type LiveObjects, type LiveSnapshot, type LookupTables, type RawObject } from '../../../src/core/live.js';

export const at = { file: 'downline.yaml', line: 1, column: 1 };

export const LOOKUPS: LookupTables = {
  linesOfBusiness: [{ id: 'lob-life', name: 'Life' }, { id: 'lob-health', name: 'Health' }],
  contractSubmissionMethods: [{ id: 'csm-paper', name: 'Paper' }],
  annualizations: [{ id: 'ann-monthly', name: 'Monthly' }],
  assignmentStatuses: [{ id: 'st-approved', name: 'APPROVED', description: 'Approved' }, { id: 'st-pending', name: 'PENDING_WITH_CARRIER', description: 'Pending with Carrier' }, { id: 'st-terminated', name: 'TERMINATED', description: 'Terminated' }],
};

/** A small desired state: carrier Acme, product Term (Life), level L1, and the given npns on it. */
export function desired(npns: string[] = [], edit: (s: DesiredState) => void = () => {}): DesiredState {
  const s = emptyDesiredState();
  s.entries.carrier.push({ name: 'Acme', fields: { naic: '12345' }, fieldSources: {}, source: at });
  s.entries.product.push({ carrier: 'Acme', name: 'Term', fields: { lineOfBusiness: 'Life' }, fieldSources: {}, source: at });
  s.entries.commissionLevel.push({ carrier: 'Acme', product: 'Term', name: 'L1', fields: { type: 'Percent', firstYearValue: 55 }, fieldSources: {}, source: at });
  for (const npn of npns) s.entries.assignment.push({ npn, carrier: 'Acme', product: 'Term', statusPolicy: 'initial', fields: { commissionLevel: 'L1', status: 'APPROVED' }, fieldSources: {}, source: at });
  edit(s);
  return s;
}

/** A live snapshot holding these objects (by kind). */
export function live(objects: Partial<LiveObjects> = {}): LiveSnapshot {
  return { lookups: LOOKUPS, objects: { ...emptyObjects(), ...objects } };
}

/** A live account matching desired(npns) exactly. */
export function converged(npns: string[] = []): LiveSnapshot {
  return live({
    carrier: [{ id: 'c1', name: 'Acme', naic: '12345' }],
    product: [{ id: 'p1', carrierId: 'c1', name: 'Term', lineOfBusinessId: 'lob-life' }],
    commissionLevel: [{ id: 'l1', productId: 'p1', name: 'L1', type: 'Percent', firstYearValue: 55.0 }],
    assignment: npns.map((npn, i): RawObject => ({ id: `a${i}`, npn, productId: 'p1', commissionLevelId: 'l1', assignmentStatusId: 'st-approved' })),
  });
}

export const key = keys;
