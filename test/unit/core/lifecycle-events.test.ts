import { describe, expect, it } from 'vitest';
import { lifecycleEvents, type ChangelogEntry } from '../../../src/core/hierarchy.js';

const entry = (over: Partial<ChangelogEntry> & { modifiedDate: string }): ChangelogEntry => ({
  contractAssignmentChangeId: over.modifiedDate, contractAssignmentId: 'ca-1', contractAssignmentDisplayNumber: 'CA-00005',
  producerName: 'Producer 301', uplineName: 'Producer 200', commissionLevelName: 'Street',
  contractAssignmentChangeAssignmentStatusName: 'Pending with Agency', ...over,
});

describe('hierarchy --changes-since events', () => {
  it('reports pending when the status becomes pending, not again on a later change that keeps it', () => {
    const events = lifecycleEvents([
      entry({ modifiedDate: '2026-01-01T00:00:00Z' }),
      entry({ modifiedDate: '2026-02-01T00:00:00Z', uplineName: 'Producer 201' }),
      entry({ modifiedDate: '2026-03-01T00:00:00Z', uplineName: 'Producer 201', contractAssignmentChangeAssignmentStatusName: 'Approved' }),
      entry({ modifiedDate: '2026-04-01T00:00:00Z', uplineName: 'Producer 201', contractAssignmentChangeAssignmentStatusName: 'Pending with Carrier' }),
    ], '2026-01-01');
    expect(events.map((e) => `${e.modifiedDate.slice(0, 10)} ${e.type}${e.to ? ` ${e.to}` : ''}`)).toEqual([
      '2026-01-01 producer-added',
      '2026-01-01 pending Pending with Agency',
      '2026-02-01 upline-changed Producer 201',
      '2026-04-01 pending Pending with Carrier',
    ]);
  });
});
