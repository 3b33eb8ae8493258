import { describe, expect, it } from 'vitest';
import { rosterDocument } from '../../../src/config/roster.js';
import { readCsv } from '../../../src/config/roster-read.js';
import { rosterCsv, rosterYaml } from '../../../src/render/export-roster.js';

describe('roster rows written and read back', () => {
  it('quotes what needs quoting, keeps spaces at either end, and reads back the same entries', () => {
    const assignments = [
      { npns: ['1001', '1002'], carrier: ' Acme, Inc. ', product: 'Term "10"', commissionLevel: 'Line\nBreak', administrativeDivisions: ['CA', 'TX'], upline: '900' },
      { npn: '1003', carrier: 'Acme', product: 'Term', commissionLevel: 'L1', administrativeDivisions: 'all', statusPolicy: 'enforce', status: 'APPROVED' },
    ];
    const invites = [{ producer: { npn: '2001', email: 'a@example.com', firstName: 'A', lastName: 'B' }, contracts: [{ carrier: 'Acme', product: 'Term', commissionLevel: 'L1', uplineNpn: '1003' }] }];
    const { text, rows, warnings } = rosterCsv({ assignments, invites });
    expect(warnings).toEqual([]);
    expect(rows).toBe(4);
    expect(text.split('\n')[0]).toBe('npn,carrier,product,commissionLevel,status,statusPolicy,upline,states,email,firstName,lastName');
    expect(text).toContain('1001," Acme, Inc. ","Term ""10""","Line\nBreak",,,900,CA TX,,,\n');
    const { grid } = readCsv('r.csv', text);
    const { parsed, diagnostics } = rosterDocument('r.csv', grid!);
    expect(diagnostics).toEqual([]);
    const data = parsed!.data as { assignments: Array<Record<string, unknown>>; invites: Array<Record<string, unknown>> };
    expect(data.assignments).toEqual([
      { npn: '1001', carrier: ' Acme, Inc. ', product: 'Term "10"', commissionLevel: 'Line\nBreak', upline: '900', administrativeDivisions: ['CA', 'TX'] },
      { npn: '1002', carrier: ' Acme, Inc. ', product: 'Term "10"', commissionLevel: 'Line\nBreak', upline: '900', administrativeDivisions: ['CA', 'TX'] },
      { npn: '1003', carrier: 'Acme', product: 'Term', commissionLevel: 'L1', status: 'APPROVED', statusPolicy: 'enforce', administrativeDivisions: 'all' },
    ]);
    // `uplineNpn` is read back under its canonical spelling.
    expect(data.invites).toEqual([{ ...invites[0], contracts: [{ carrier: 'Acme', product: 'Term', commissionLevel: 'L1', upline: '1003' }] }]);
    // And as YAML, the two producers on one contract share an entry again.
    expect(rosterYaml(data)).toContain('  - npns: [ "1001", "1002" ]\n');
  });

  it('warns about a cell a spreadsheet program would run as a formula, and about what a roster cannot hold', () => {
    const { warnings } = rosterCsv({
      assignments: [{ npn: '1', carrier: '=HYPERLINK("http://x")', product: 'P', commissionLevel: 'L' }],
      invites: [{ producer: { npn: '2', email: 'e@x.com', firstName: 'F', lastName: 'L' }, inviter: { firstName: 'I', lastName: 'J', email: 'i@x.com' }, contracts: [{ carrier: 'C', product: 'P', commissionLevel: 'L' }] }],
    });
    expect(warnings.map((w) => w.message)).toEqual([
      'invites[0]: a roster has no column for the invite\'s own inviter; agency.inviter invites instead',
      'the roster holds "=HYPERLINK(\\"http://x\\")": a spreadsheet program may run a cell starting with =, +, -, @ as a formula',
    ]);
  });
});
