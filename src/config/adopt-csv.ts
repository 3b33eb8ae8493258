import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { error, warning } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/types.js';
import { byRow, cellEdits, type CellEdit, type RosterEdit } from './adopt-roster.js';
import { columnLetters, readCsv, type Grid } from './roster-read.js';

/**
 * `plan --drift --adopt` on a CSV roster: only the drifted rows are re-written, and in them only the
 * drifted cells change. csv-parse says where each record's bytes are (`info.bytes`) and whether each
 * field was quoted; csv-stringify writes the changed row, with every untouched field quoted as it
 * was. Every other byte — other rows, the BOM, line endings, a missing final newline — is copied.
 */

interface Field { value: string; quoted: boolean }
interface CsvRecord { fields: Field[]; start: number; end: number }

export interface CsvAdoptResult { bytes: Buffer; adopted: number; problems: Diagnostic[] }

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function adoptInCsv(file: string, bytes: Buffer, edits: readonly RosterEdit[]): CsvAdoptResult {
  const read = readCsv(file, bytes);
  const records = read.grid ? locateRecords(bytes) : undefined;
  if (!read.grid || !records || records.length !== read.grid.rows.length) {
    return { bytes, adopted: 0, problems: [error('adopt: cannot read this roster again to rewrite it; nothing written to this file', { file, line: 1, column: 1 })] };
  }
  const grid = read.grid;
  const at = (row: number, column: number) => ({ file, line: row, column, cell: `${columnLetters(column)}${row}`, ...(grid.rows[row - 1]?.line !== undefined ? { textLine: grid.rows[row - 1].line } : {}) });
  const planned = cellEdits({ header: grid.rows[0]?.cells ?? [], cells: (row) => (row > 1 ? grid.rows[row - 1]?.cells : undefined), at }, edits);
  const problems = [...planned.problems];

  const rewritten = new Map<number, string>();
  const done: CellEdit[] = [];
  for (const [row, cells] of byRow(planned.cells)) {
    const record = records[row - 1];
    const raw = bytes.subarray(record.start, record.end).toString('utf8');
    const terminator = /(\r\n|\n|\r)$/.exec(raw)?.[0] ?? '';
    const typeIn = [...cells.values()].map((c) => `${at(row, c.index + 1).cell} "${c.text}"`).join(', ');
    // The row as csv-stringify writes it must be the row as it is, or a rewrite would change more than the drifted cells.
    if (writeRow(record.fields) !== raw.slice(0, raw.length - terminator.length)) {
      problems.push(warning(`${[...cells.values()][0].label}: row ${row} is written in a way downline cannot reproduce (spaces around a quoted field?); not adopted`, at(row, 1), `edit it by hand: ${typeIn}`));
      continue;
    }
    const fields = [...record.fields];
    let unreadable: CellEdit | undefined;
    for (const [index, cell] of cells) {
      while (fields.length <= index) fields.push({ value: '', quoted: false });
      const old = fields[index];
      // A changed cell keeps its quotes; it gains them when its text would otherwise read differently (spaces, commas, quotes, line breaks).
      fields[index] = { value: cell.text, quoted: old.quoted };
      if (readBack(writeRow(fields), index) !== cell.text) fields[index] = { value: cell.text, quoted: true };
      if (readBack(writeRow(fields), index) !== cell.text) unreadable = cell;
    }
    if (unreadable) {
      problems.push(warning(`${unreadable.label}: "${unreadable.text}" would not read back as written in ${at(row, unreadable.index + 1).cell}; not adopted`, at(row, unreadable.index + 1)));
      continue;
    }
    rewritten.set(row, writeRow(fields) + terminator);
    done.push(...cells.values());
  }
  if (done.length === 0) return { bytes, adopted: 0, problems };

  const parts: Buffer[] = [bytes.subarray(0, records[0]?.start ?? 0)];
  records.forEach((record, i) => parts.push(rewritten.has(i + 1) ? Buffer.from(rewritten.get(i + 1)!, 'utf8') : bytes.subarray(record.start, record.end)));
  parts.push(bytes.subarray(records.at(-1)?.end ?? bytes.length));
  const out = Buffer.concat(parts);

  // The roster as downline reads it: the drifted cells changed, every other cell as before.
  const check = readCsv(file, out).grid;
  if (!check || !sameExcept(grid, check, done)) {
    problems.push(error('adopt: the rewritten roster would read differently beyond the drifted cells; nothing written to this file', { file, line: 1, column: 1 }));
    return { bytes, adopted: 0, problems };
  }
  return { bytes: out, adopted: done.length, problems };
}

/** Each record's fields (with their quoting) and its bytes, terminator included. Undefined if csv-parse refuses the file. */
function locateRecords(bytes: Buffer): CsvRecord[] | undefined {
  const options = { bom: true, info: true, relax_column_count: true, skip_empty_lines: false, cast: (value: string, context: { quoting: boolean }) => ({ value, quoted: context.quoting }) };
  let parsed: Array<{ record: Field[]; info: { bytes: number } }>;
  try {
    // Untrimmed, so an unquoted field is its bytes exactly; a file with spaces around quotes needs the trimmed reading (such rows are then not rewritten).
    parsed = parse(bytes, { ...options, trim: false }) as unknown as typeof parsed;
  } catch {
    try {
      parsed = parse(bytes, { ...options, trim: true }) as unknown as typeof parsed;
    } catch {
      return undefined;
    }
  }
  let start = bytes.subarray(0, 3).equals(BOM) ? 3 : 0;
  return parsed.map(({ record, info }) => {
    const located = { fields: record, start, end: info.bytes };
    start = info.bytes;
    return located;
  });
}

/** One CSV row, without its terminator: every field quoted as given, and quoted anyway where its text needs it. */
function writeRow(fields: readonly Field[]): string {
  return stringify([fields.map((f) => f.value)], {
    eof: false,
    cast: { string: (value, context) => ({ value, quoted: fields[context.index].quoted, quoted_empty: fields[context.index].quoted }) },
  });
}

/** A field of a written row as the roster reader takes it (trimmed outside quotes, spaces-only is empty). */
function readBack(row: string, index: number): string {
  const value = (parse(row, { relax_column_count: true, trim: true }) as string[][])[0]?.[index] ?? '';
  return value.trim() === '' ? '' : value;
}

function sameExcept(before: Grid, after: Grid, changed: readonly CellEdit[]): boolean {
  if (before.rows.length !== after.rows.length) return false;
  const expected = new Map(changed.map((c) => [`${c.row}:${c.index}`, c.text]));
  return before.rows.every((row, r) => {
    const now = after.rows[r].cells;
    const width = Math.max(row.cells.length, now.length);
    for (let i = 0; i < width; i++) {
      const want = expected.get(`${row.row}:${i}`) ?? row.cells[i] ?? '';
      if ((now[i] ?? '') !== want) return false;
    }
    return true;
  });
}
