import { emptyDesiredState, keys, type DesiredState } from '../../../src/core/desired.js';
import type { LiveSnapshot, LookupTables, RawObject } from '../../../src/core/live.js';

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
  s.carriers.push({ name: 'Acme', fields: { naic: '12345' }, fieldSources: {}, source: at });
  s.products.push({ carrier: 'Acme', name: 'Term', fields: { lineOfBusiness: 'Life' }, fieldSources: {}, source: at });
  s.levels.push({ carrier: 'Acme', product: 'Term', name: 'L1', fields: { type: 'Percent', firstYearValue: 55 }, fieldSources: {}, source: at });
  for (const npn of npns) s.assignments.push({ npn, carrier: 'Acme', product: 'Term', statusPolicy: 'initial', fields: { commissionLevel: 'L1', status: 'APPROVED' }, fieldSources: {}, source: at });
  edit(s);
  return s;
}

export function live(parts: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return { lookups: LOOKUPS, carriers: [], products: [], levels: [], assignments: [], ...parts };
}

/** A live account matching desired(npns) exactly. */
export function converged(npns: string[] = []): LiveSnapshot {
  return live({
    carriers: [{ id: 'c1', name: 'Acme', naic: '12345' }],
    products: [{ id: 'p1', carrierId: 'c1', name: 'Term', lineOfBusinessId: 'lob-life' }],
    levels: [{ id: 'l1', productId: 'p1', name: 'L1', type: 'Percent', firstYearValue: 55.0 }],
    assignments: npns.map((npn, i): RawObject => ({ id: `a${i}`, npn, productId: 'p1', commissionLevelId: 'l1', assignmentStatusId: 'st-approved' })),
  });
}

export const key = keys;
