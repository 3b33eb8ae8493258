import { describe, expect, it } from 'vitest';
import { adoptInText, valueText } from '../../../src/config/adopt.js';

const TEXT = `assignments:
  - carrier: Acme   # keep me
    product: 'Term'
    commissionLevel: Street
    administrativeDivisions:
      - CA
      - NY
    npns:
      - "1"
      - "2"
      - "3"
  - npn: "9"
    carrier: Acme
    product: Term
    commissionLevel: \${env:LEVEL}
`;

const at = (line: number, column: number, values: Record<string, unknown>) => ({ line, column, values: values as never, label: `entry at ${line}` });

describe('adopt: live values spliced into the config text', () => {
  it('moves producers with other live values into their own entries, grouped by value, leaving every other line as written', () => {
    const result = adoptInText('c.yaml', TEXT, [at(9, 9, { commissionLevel: 'Senior' }), at(11, 9, { commissionLevel: 'Senior' })]);
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(`assignments:
  - carrier: Acme   # keep me
    product: 'Term'
    commissionLevel: Street
    administrativeDivisions:
      - CA
      - NY
    npns:
      - "2"
  - npns: ["1", "3"]
    carrier: Acme
    product: 'Term'
    commissionLevel: Senior
    administrativeDivisions: [CA, NY]
  - npn: "9"
    carrier: Acme
    product: Term
    commissionLevel: \${env:LEVEL}
`);
  });

  it('edits the entry itself when all its producers drifted alike; a block list becomes a flow list on its key line', () => {
    const result = adoptInText('c.yaml', TEXT, [1, 2, 3].map((n) => at(8 + n, 9, { administrativeDivisions: ['CA', 'NY', 'TX'] })));
    expect(result.text.split('\n').slice(4, 6)).toEqual(['    administrativeDivisions: [CA, NY, TX]', '    npns:']);
    expect(result.text.split('\n')).toHaveLength(TEXT.split('\n').length - 2);
  });

  it('never replaces a variable with its value, and keeps the quoting of the value it replaces', () => {
    const refused = adoptInText('c.yaml', TEXT, [at(12, 5, { commissionLevel: 'Senior' })]);
    expect(refused.text).toBe(TEXT);
    expect(refused.problems).toEqual([expect.objectContaining({ severity: 'warning', message: 'entry at 12: commissionLevel comes from a variable (${env:LEVEL}); not adopted', source: { file: 'c.yaml', line: 12, column: 5 } })]);
    const quoted = adoptInText('c.yaml', TEXT, [1, 2, 3].map((n) => at(8 + n, 9, { product: "O'Brien" })));
    expect(quoted.text).toContain("    product: 'O''Brien'\n");
    expect(valueText('12345')).toBe('"12345"');
    expect(valueText('a, b')).toBe('"a, b"');
    expect(valueText('Level 1 — 55%')).toBe('Level 1 — 55%');
  });

  it('a position moved to the top live loses its upline key; one moved under someone gains it (block and flow entries)', () => {
    const text = `assignments:
  - npn: "1"   # lead
    carrier: Acme
    product: Term
    upline: "9"
    commissionLevel: Street
  - { npn: "2", carrier: Acme, product: Term, uplineNpn: "9", commissionLevel: Street }
  - npn: "3"
    carrier: Acme
    product: Term
  - { npn: "4", carrier: Acme, product: Term }
  - carrier: Acme
    product: Term
    upline: "9"
    npns: ["5", "6"]
`;
    const result = adoptInText('c.yaml', text, [at(2, 5, { upline: null }), at(7, 5, { upline: null }), at(8, 5, { upline: '1' }), at(11, 5, { upline: '1' }), at(15, 17, { upline: null })]);
    expect(result.problems).toEqual([]);
    expect(result.adopted).toBe(5);
    expect(result.text).toBe(`assignments:
  - npn: "1"   # lead
    carrier: Acme
    product: Term
    commissionLevel: Street
  - { npn: "2", carrier: Acme, product: Term, commissionLevel: Street }
  - npn: "3"
    carrier: Acme
    product: Term
    upline: "1"
  - { npn: "4", carrier: Acme, product: Term, upline: "1" }
  - carrier: Acme
    product: Term
    upline: "9"
    npns: ["5"]
  - npn: "6"
    carrier: Acme
    product: Term
`);
  });
});
