import { describe, expect, it } from 'vitest';
import { adoptInCsv } from '../../../src/config/adopt-csv.js';
import { rosterText } from '../../../src/config/adopt-roster.js';
import { ALL_DIVISIONS } from '../../../src/core/desired.js';
import type { Value } from '../../../src/core/types.js';

const edit = (row: number, npn: string, values: Record<string, Value>) => ({ row, npn, values, label: `assignment of ${npn}` });
const adopt = (text: string, ...edits: ReturnType<typeof edit>[]) => {
  const result = adoptInCsv('r.csv', Buffer.from(text, 'utf8'), edits);
  return { text: result.bytes.toString('utf8'), adopted: result.adopted, problems: result.problems.map((p) => `${p.source?.line}:${p.source?.column} (${p.source?.cell}) ${p.severity}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`) };
};

describe('a live value as roster cell text', () => {
  it('writes no upline as an empty cell, every state as all, and a state list with the separator the cell uses', () => {
    expect(rosterText(null, '1001')).toBe('');
    expect(rosterText([...ALL_DIVISIONS], 'CA')).toBe('all');
    expect(rosterText(['CA', 'NY'], 'TX')).toBe('CA NY');
    expect(rosterText(['CA', 'NY'], 'TX,OK')).toBe('CA,NY');
    expect(rosterText(['CA', 'NY'], 'TX; OK')).toBe('CA; NY');
    expect(rosterText('Senior', 'Street')).toBe('Senior');
    expect(rosterText({ a: 1 }, '')).toBeUndefined();
  });
});

describe('adoptInCsv: only the drifted cells of the drifted rows change', () => {
  it('keeps LF, a missing final newline, and the quoting of untouched fields; quotes a new value only where it needs it', () => {
    const text = 'npn,carrier,product,commissionLevel,userDefined1\n1,"Acme",Term,Street,a\n2,Acme,"Term",Street,b';
    const result = adopt(text, edit(3, '2', { userDefined1: 'x, "y"' }), edit(2, '1', { commissionLevel: 'Senior' }));
    expect(result.problems).toEqual([]);
    expect(result.adopted).toBe(2);
    expect(result.text).toBe('npn,carrier,product,commissionLevel,userDefined1\n1,"Acme",Term,Senior,a\n2,Acme,"Term",Street,"x, ""y"""');
  });

  it('quotes a value whose spaces the reader would trim, and fills a short row out to the column', () => {
    const result = adopt('npn,carrier,product,commissionLevel,userDefined1\n1,Acme,Term,Street\n', edit(2, '1', { userDefined1: ' padded ' }));
    expect(result.problems).toEqual([]);
    expect(result.text).toBe('npn,carrier,product,commissionLevel,userDefined1\n1,Acme,Term,Street," padded "\n');
  });

  it('keeps a quoted cell quoted, an empty quoted cell included', () => {
    const result = adopt('npn,carrier,product,commissionLevel,upline\r\n"1","Acme","Term","Street",""\r\n', edit(2, '1', { upline: '7', commissionLevel: 'Senior' }));
    expect(result.text).toBe('npn,carrier,product,commissionLevel,upline\r\n"1","Acme","Term","Senior","7"\r\n');
  });

  it('leaves a row it cannot reproduce exactly (spaces around a quoted field), naming the cells to edit by hand', () => {
    const text = 'npn,carrier,product,commissionLevel\n1, "Acme",Term,Street\n2,Acme,Term,Street\n';
    const result = adopt(text, edit(2, '1', { commissionLevel: 'Senior' }), edit(3, '2', { commissionLevel: 'Senior' }));
    expect(result.problems).toEqual(['2:1 (A2) warning: assignment of 1: row 2 is written in a way downline cannot reproduce (spaces around a quoted field?); not adopted (edit it by hand: D2 "Senior")']);
    expect(result.text).toBe('npn,carrier,product,commissionLevel\n1, "Acme",Term,Street\n2,Acme,Term,Senior\n');
  });

  it('adopts nothing into a row that does not hold exactly the producer, or a cell two values claim', () => {
    const text = 'npn,carrier,product,commissionLevel\n1,Acme,Term,Street\n2,Acme,Term,Street\n';
    const result = adopt(text, edit(2, '9', { commissionLevel: 'Senior' }), edit(3, '2', { commissionLevel: 'Senior' }), edit(3, '2', { commissionLevel: 'Top' }));
    expect(result.problems).toEqual([
      '2:1 (A2) warning: assignment of 9: row 2 holds NPN "1", not exactly 9; not adopted (edit the row by hand: commissionLevel "Senior")',
      '3:4 (D3) warning: assignment of 2: D3 would take two live values ("Senior", "Top"); not adopted (split the row by hand)',
    ]);
    expect(result.adopted).toBe(0);
    expect(result.text).toBe(text);
  });

  it('keeps the lines of other rows with quoted line breaks, and a blank line, byte for byte', () => {
    const text = '\uFEFFnpn,carrier,product,commissionLevel,userDefined1\r\n1,Acme,Term,Street,"a\nb"\r\n\r\n2,Acme,Term,Street,"c\r\nd"\r\n';
    const result = adopt(text, edit(4, '2', { commissionLevel: 'Senior' }));
    expect(result.problems).toEqual([]);
    expect(result.text).toBe(text.replace('2,Acme,Term,Street', '2,Acme,Term,Senior'));
  });
});
