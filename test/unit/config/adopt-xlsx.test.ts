import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { adoptInXlsx } from '../../../src/config/adopt-xlsx.js';
import type { Value } from '../../../src/core/types.js';

const edit = (row: number, npn: string, values: Record<string, Value>) => ({ row, npn, values, label: `assignment of ${npn}` });

async function book(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Roster');
  sheet.addRow(['npn', 'carrier', 'product', 'commissionLevel', 'endDate', 'userDefined1']);
  sheet.addRow([1, 'Acme', 'Term', 'Street', new Date('2026-01-31T00:00:00.000Z'), 'a']);
  sheet.getCell('E2').numFmt = 'yyyy-mm-dd';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function cell(bytes: Buffer, address: string): Promise<{ value: unknown; numFmt?: string }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const found = workbook.worksheets[0].getCell(address);
  return { value: found.value, numFmt: found.numFmt };
}

describe('adoptInXlsx: a drifted cell keeps its kind', () => {
  it('writes a date into a date cell as a date, with its format, and a text as text', async () => {
    const result = await adoptInXlsx('r.xlsx', await book(), [edit(2, '1', { endDate: '2026-05-01', userDefined1: 'b' })]);
    expect(result.problems).toEqual([]);
    expect(result.adopted).toBe(2);
    expect(await cell(result.bytes, 'E2')).toEqual({ value: new Date('2026-05-01T00:00:00.000Z'), numFmt: 'yyyy-mm-dd' });
    expect((await cell(result.bytes, 'F2')).value).toBe('b');
    expect((await cell(result.bytes, 'A2')).value).toBe(1);
  });

  it('names the sheet and cell of what it cannot adopt, and returns the workbook untouched', async () => {
    const bytes = await book();
    const result = await adoptInXlsx('r.xlsx', bytes, [edit(2, '1', { upline: '7' }), edit(3, '2', { commissionLevel: 'Senior' })]);
    expect(result.problems.map((p) => `${p.source?.cell} ${p.message}`)).toEqual([
      'Roster!A2 assignment of 1: the roster has no upline column for upline "7"; not adopted',
      'Roster!A3 assignment of 2: row 3 is not in the roster; not adopted',
    ]);
    expect(result.adopted).toBe(0);
    expect(result.bytes).toBe(bytes);
  });
});
