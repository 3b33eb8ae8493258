import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_DIVISIONS } from '../../../src/core/desired.js';
import type { LiveSnapshot } from '../../../src/core/live.js';
import { exportYaml } from '../../../src/render/export-yaml.js';

/** An account whose API reads back everything the config language holds (unlike the emulator). */
const live: LiveSnapshot = {
  lookups: {
    linesOfBusiness: [{ id: 'lob-life', name: 'Life' }, { id: 'lob-health', name: 'Health' }],
    contractSubmissionMethods: [{ id: 'csm-paper', name: 'Paper' }],
    annualizations: [],
    assignmentStatuses: [{ id: 'st-approved', name: 'APPROVED' }],
  },
  objects: {
    carrier: [{ id: 'c1', name: 'Acme', naic: '1', uplineFirmName: 'Acme Holdings', linesOfBusiness: ['lob-life', 'lob-health'], contractSubmissionMethods: ['csm-paper'], administrativeDivisions: ['TX', 'CA'], userDefined1: 'acme-001' }],
    product: [{ id: 'p1', carrierId: 'c1', name: 'Term', lineOfBusinessId: 'lob-life', displayCommissionLevelPercentages: false, administrativeDivisions: [...ALL_DIVISIONS].reverse(), userDefined2: 'x' }],
    commissionLevel: [{ id: 'l1', productId: 'p1', name: 'L1', type: 'Percent', firstYearValue: 55, level: 1, administrativeDivisions: ['CA'], userDefined3: 'y' }],
    assignment: [
      { id: 'a1', npn: '100', productId: 'p1', commissionLevelId: 'l1', assignmentStatusId: 'st-approved', administrativeDivisions: ['TX', 'CA'] },
      { id: 'a2', npn: '200', productId: 'p1', commissionLevelId: 'l1', assignmentStatusId: 'st-approved', administrativeDivisions: ['CA', 'TX'], uplineNpn: '100', userDefined1: 'u' },
      { id: 'a3', npn: '300', productId: 'p1', commissionLevelId: 'l1', assignmentStatusId: 'st-approved', administrativeDivisions: ['CA', 'TX'], uplineNpn: '100', userDefined1: 'u' },
    ],
  },
};

describe('exportYaml', () => {
  it('writes every field the language holds: carrier lookups by name, states (or all), uplines and userDefined of assignments', () => {
    const { text, warnings } = exportYaml(live);
    const doc = parse(text);
    expect(doc.carriers[0]).toMatchObject({ uplineFirmName: 'Acme Holdings', linesOfBusiness: ['Health', 'Life'], contractSubmissionMethods: ['Paper'], administrativeDivisions: ['CA', 'TX'], userDefined1: 'acme-001' });
    expect(doc.carriers[0].products[0]).toMatchObject({ displayCommissionLevelPercentages: false, administrativeDivisions: 'all', userDefined2: 'x' });
    expect(doc.carriers[0].products[0].commissionLevels[0]).toMatchObject({ administrativeDivisions: ['CA'], userDefined3: 'y' });
    // Producers on the same position share one entry; a different upline is a different position.
    expect(doc.assignments).toEqual([
      { npn: '100', carrier: 'Acme', product: 'Term', commissionLevel: 'L1', status: 'APPROVED', administrativeDivisions: ['CA', 'TX'] },
      { npns: ['200', '300'], carrier: 'Acme', product: 'Term', commissionLevel: 'L1', status: 'APPROVED', administrativeDivisions: ['CA', 'TX'], upline: '100', userDefined1: 'u' },
    ]);
    // Nothing the account carries is reported missing; Turris and invitations always are.
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^no live carrier carries tin, userDefined2, /),
      expect.stringMatching(/^no live product carries contractSubmissionMethod, annualization, userDefined1, /),
      expect.stringMatching(/^no live commission level carries userDefined1, /),
      expect.stringMatching(/^no live contract assignment carries userDefined2, /),
      'Turris invitations are not exported: downline reads Turris associations only to find an invitation by its key, and an existing association already satisfies one',
      'invitations are exported as the contract assignments they created: a producer\'s e-mail and name are not part of an assignment',
    ]);
  });

  it('says nothing of Turris when the account was read and holds no association', () => {
    const { warnings } = exportYaml({ ...live, objects: { ...live.objects, turrisInvite: [] } });
    expect(warnings.map((w) => w.message).filter((m) => m.includes('Turris'))).toEqual([]);
  });
});
