import type { Cell, CellValue } from 'exceljs';
import { error, warning } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/types.js';
import { cellEdits, type CellEdit, type RosterEdit } from './adopt-roster.js';
import { columnLetters, sheetGrid } from './roster-read.js';

/**
 * `plan --drift --adopt` on an xlsx roster: the drifted cells of the roster's worksheet (the first)
 * take the live values, through exceljs (loaded only here and when a workbook is read). A cell keeps
 * its style and its kind (an NPN typed as a number stays a number, a date a date); a formula is
 * never overwritten. exceljs writes the whole workbook again: see the README for what that keeps.
 */

/**
 * Workbook parts exceljs reads past and so would not write back: a workbook holding one is not
 * rewritten (its drifted cells are named to type in), rather than losing a chart or a pivot table.
 */
const PARTS_EXCELJS_DROPS: ReadonlyArray<[RegExp, string]> = [
  [/^xl\/charts\//, 'a chart'], [/^xl\/chartsheets\//, 'a chart sheet'], [/^xl\/pivot(Tables|Cache)\//, 'a pivot table'],
  [/^xl\/slicer(s|Caches)\//, 'a slicer'], [/^xl\/timeline(s|Caches)\//, 'a timeline'], [/^xl\/externalLinks\//, 'a link to another workbook'],
  [/^xl\/vbaProject\.bin$/, 'macros'], [/^xl\/ctrlProps\//, 'a form control'], [/^xl\/embeddings\//, 'an embedded object'],
  [/^xl\/(queryTables\/|connections\.xml$)/, 'a data connection'],
];

export interface XlsxAdoptResult { bytes: Buffer; adopted: number; problems: Diagnostic[] }

export async function adoptInXlsx(file: string, bytes: Buffer, edits: readonly RosterEdit[]): Promise<XlsxAdoptResult> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (cause) {
    return { bytes, adopted: 0, problems: [error(`adopt: cannot read the workbook again (${(cause as Error).message}); nothing written to this file`, { file, line: 1, column: 1 })] };
  }
  const sheet = workbook.worksheets[0];
  const grid = sheetGrid(sheet);
  const at = (row: number, column: number) => ({ file, line: row, column, cell: `${grid.sheet}!${columnLetters(column)}${row}` });
  const planned = cellEdits({ header: grid.rows[0]?.cells ?? [], cells: (row) => (row > 1 ? grid.rows[row - 1]?.cells : undefined), at }, edits);
  const problems = [...planned.problems];

  const dropped = planned.cells.length > 0 ? await partExceljsDrops(bytes) : undefined;
  if (dropped) {
    for (const edit of planned.cells) {
      problems.push(warning(`${edit.label}: the workbook holds ${dropped.what} (${dropped.part}), which rewriting it would lose; not adopted`, at(edit.row, edit.index + 1),
        `type "${edit.text}" in ${at(edit.row, edit.index + 1).cell} by hand, or keep the roster in a workbook of its own`));
    }
    return { bytes, adopted: 0, problems };
  }

  const done: CellEdit[] = [];
  for (const edit of planned.cells) {
    const cell = sheet.getRow(edit.row).getCell(edit.index + 1);
    if (cell.type === ExcelJS.ValueType.Formula) {
      problems.push(warning(`${edit.label}: ${edit.field} comes from a formula (=${cell.formula}); not adopted`, at(edit.row, edit.index + 1),
        `change the formula to give "${edit.text}", or type the value over it`));
      continue;
    }
    cell.value = typed(cell, edit.text);
    done.push(edit);
  }
  if (done.length === 0) return { bytes, adopted: 0, problems };
  const out = Buffer.from(await workbook.xlsx.writeBuffer());

  // The roster as downline reads it: the drifted cells changed, every other cell as before.
  const check = new ExcelJS.Workbook();
  await check.xlsx.load(out as unknown as ArrayBuffer);
  const after = sheetGrid(check.worksheets[0]);
  const expected = new Map(done.map((c) => [`${c.row}:${c.index}`, c.text]));
  const same = after.rows.length === grid.rows.length && grid.rows.every((row, r) => {
    const width = Math.max(row.cells.length, after.rows[r].cells.length);
    for (let i = 0; i < width; i++) if ((after.rows[r].cells[i] ?? '') !== (expected.get(`${row.row}:${i}`) ?? row.cells[i] ?? '')) return false;
    return true;
  });
  if (!same) {
    problems.push(error('adopt: the rewritten workbook would read differently beyond the drifted cells; nothing written to this file', { file, line: 1, column: 1 }));
    return { bytes, adopted: 0, problems };
  }
  return { bytes: out, adopted: done.length, problems };
}

async function partExceljsDrops(bytes: Buffer): Promise<{ part: string; what: string } | undefined> {
  const { default: JSZip } = await import('jszip');
  const names = Object.values((await JSZip.loadAsync(bytes)).files).filter((f) => !f.dir).map((f) => f.name.replace(/^\//, ''));
  for (const part of names) {
    const found = PARTS_EXCELJS_DROPS.find(([pattern]) => pattern.test(part));
    if (found) return { part, what: found[1] };
  }
  return undefined;
}

/** The new value in the kind the cell held: a number stays a number (an NPN typed as one), a date a date, empty is no value. */
function typed(cell: Cell, text: string): CellValue {
  if (text === '') return null;
  if (typeof cell.value === 'number' && /^(0|[1-9]\d{0,14})$/.test(text)) return Number(text);
  if (cell.value instanceof Date && /^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00.000Z`);
  return text;
}
