import { parse } from 'csv-parse/sync';
import type { Worksheet } from 'exceljs';
import { error } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/types.js';
import { decodeUtf8 } from './utf8.js';

/**
 * A roster read into cells, independent of its format. `row` is the row number a spreadsheet shows
 * (the header is row 1); `line` is the CSV line the row starts on (a quoted field may span lines).
 */
export interface Grid {
  rows: Array<{ row: number; line?: number; cells: string[] }>;
  /** The worksheet's name (xlsx only): locations then also carry `Sheet1!C7`. */
  sheet?: string;
}

const LINE_BREAK = /\r\n|\r|\n/g;

export const ROSTER_FILE = /\.(csv|xlsx)$/i;
export const isXlsx = (file: string) => /\.xlsx$/i.test(file);

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by more text in the same field',
};

/** RFC 4180 CSV (quoted fields with commas, quotes and newlines; a UTF-8 BOM; CRLF or LF). */
export function readCsv(file: string, bytes: Buffer | string): { grid?: Grid; diagnostics: Diagnostic[] } {
  const decoded = typeof bytes === 'string' ? { text: bytes } : decodeUtf8(bytes);
  // Excel's plain "CSV" is the system code page: read as UTF-8, its accents would become U+FFFD silently.
  // Nothing was read as rows yet: the place is the file's line, as for a YAML syntax error.
  if ('notUtf8At' in decoded) return { diagnostics: [error('the CSV is not UTF-8 text', { file, line: decoded.notUtf8At.line, column: 1 }, 'save it as "CSV UTF-8" (Excel: Save As → CSV UTF-8), or as .xlsx')] };
  const { text } = decoded;
  if (text.includes('\u0000')) return { diagnostics: [error('file is binary, not CSV', { file, line: 1, column: 1 }, 'save the roster as CSV (UTF-8) or .xlsx')] };
  let records: string[][];
  try {
    // Empty lines are kept as rows: row numbers must be the ones a spreadsheet shows.
    // `trim` drops spaces around a separator, never inside quotes: " Acme " keeps its spaces, as in YAML.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (cause) {
    const e = cause as { code?: string; message: string; lines?: number; records?: number; column?: number };
    const row = (e.records ?? 0) + 1;
    const column = (e.column ?? 0) + 1;
    // The row starts a line after the last complete record ends (an unclosed quote reads to the end of the file).
    const complete = e.records ? (parse(text, { bom: true, relax_column_count: true, trim: true, to: e.records }) as string[][]) : [];
    const line = 1 + complete.reduce((n, record) => n + lines(record), 0);
    const problem = CSV_PROBLEMS[e.code ?? ''] ?? e.message;
    return { diagnostics: [error(`cannot read the CSV: ${problem} (row ${row}, from line ${line})`, { file, line: row, column, cell: `${columnLetters(column)}${row}`, textLine: line },
      'quote a field that holds commas, quotes or line breaks ("…"), and double each quote inside it ("")')] };
  }
  // Where each row starts: csv-parse's own line count takes a CRLF inside quotes for two lines, but a
  // quoted value keeps its line breaks verbatim, so a record spans one line plus the breaks it holds.
  let next = 1;
  const rows = records.map((record, i) => {
    const row = { row: i + 1, line: next, cells: record };
    next += lines(record);
    return row;
  });
  return { grid: { rows }, diagnostics: [] };
}

/** How many lines of the file a record spans. */
const lines = (record: string[]) => 1 + record.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);

/** The first worksheet of an .xlsx workbook. exceljs is large: it is loaded only when a workbook is read. */
export async function readXlsx(file: string, bytes: Buffer): Promise<{ grid?: Grid; diagnostics: Diagnostic[] }> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (cause) {
    // jszip's own words for "not a zip" end in advice to a programmer: say what it means for a roster.
    const message = /central directory|zip file/i.test((cause as Error).message) ? 'the file is not an .xlsx workbook (an .xlsx is a zip archive)' : (cause as Error).message;
    return { diagnostics: [error(`cannot read the workbook: ${message}`, { file, line: 1, column: 1 }, 'save it again as an Excel workbook (.xlsx), or as CSV')] };
  }
  return { grid: sheetGrid(workbook.worksheets[0]), diagnostics: [] };
}

/** The roster's worksheet (the first) as the text a person sees in its cells. */
export function sheetGrid(sheet: Worksheet | undefined): Grid {
  if (!sheet) return { rows: [] };
  const rows: Grid['rows'] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    rows.push({ row: r, cells });
  }
  return { rows, sheet: sheet.name };
}

/**
 * A cell as the text a person sees in it: numbers as written (an NPN typed as a number), dates as
 * YYYY-MM-DD (Excel dates are days, read by exceljs as UTC midnight), formulas by their result,
 * hyperlinks (Excel turns emails into them) and rich text by their text.
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string; hyperlink?: string };
  if (v.richText) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return cellText(v.result);
  if (v.text !== undefined) return cellText(v.text);
  if (v.error) return v.error;
  return '';
}

/** A1-style column letters: 1 → A, 27 → AA. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
