import { ALL_DIVISIONS } from '../core/desired.js';
import { warning } from '../core/diagnostics.js';
import type { Diagnostic, SourceLocation, Value } from '../core/types.js';
import { columnOf, rosterColumn } from './roster.js';

/**
 * `plan --drift --adopt` on a roster (CSV or xlsx): which cell of which row takes which live value,
 * independent of the format. A roster row is one producer's contract, so a drifted contract is
 * one row and each drifted field one cell of it; what the roster's columns cannot say is a warning
 * at the row and nothing is written for it (the format modules then change exactly these cells).
 */

/** The live values for the contract a roster row declares (row numbers as a spreadsheet shows them). */
export interface RosterEdit {
  row: number;
  /** The producer the plan says the row declares: the row must hold exactly this NPN. */
  npn?: string;
  values: Record<string, Value>;
  label: string;
}

export interface CellEdit {
  row: number;
  /** 0-based column index. */
  index: number;
  field: string;
  /** What the cell will read, as a person would type it. */
  text: string;
  label: string;
}

export interface RosterSheet {
  header: readonly string[];
  /** The cells of a row as read (trimmed as the roster reader sees them), or undefined if there is no such row. */
  cells: (row: number) => readonly string[] | undefined;
  /** Where a cell is, for diagnostics (1-based column). */
  at: (row: number, column: number) => SourceLocation;
}

export function cellEdits(sheet: RosterSheet, edits: readonly RosterEdit[]): { cells: CellEdit[]; problems: Diagnostic[] } {
  const columns = new Map<string, number>();
  sheet.header.forEach((name, i) => {
    const column = rosterColumn(name);
    if (column && !columns.has(column)) columns.set(column, i);
  });
  const npnColumn = (columns.get('npn') ?? 0) + 1;
  const problems: Diagnostic[] = [];
  const byCell = new Map<string, CellEdit>();
  const clashed = new Set<string>();
  for (const edit of edits) {
    const cells = sheet.cells(edit.row);
    const rowAt = sheet.at(edit.row, npnColumn);
    const typeIn = Object.entries(edit.values).map(([field, value]) => `${columnOf(field)} ${JSON.stringify(value)}`).join(', ');
    if (!cells) {
      problems.push(warning(`${edit.label}: row ${edit.row} is not in the roster; not adopted`, rowAt));
      continue;
    }
    const npn = cells[npnColumn - 1] ?? '';
    if (edit.npn !== undefined && npn !== edit.npn) {
      // One row, one producer: a row that names another (or several) cannot take one producer's values.
      problems.push(warning(`${edit.label}: row ${edit.row} holds NPN "${npn}", not exactly ${edit.npn}; not adopted`, rowAt, `edit the row by hand: ${typeIn}`));
      continue;
    }
    for (const [field, value] of Object.entries(edit.values)) {
      const column = columnOf(field) ?? field;
      const index = rosterColumn(column) ? columns.get(column) : undefined;
      if (index === undefined) {
        problems.push(warning(`${edit.label}: the roster has no ${column} column for ${field} ${JSON.stringify(value)}; not adopted`, rowAt,
          `add a${/^[aeiou]/i.test(column) ? 'n' : ''} ${column} column, or declare this contract in YAML`));
        continue;
      }
      const text = rosterText(value, cells[index] ?? '');
      const at = sheet.at(edit.row, index + 1);
      if (text === undefined) {
        problems.push(warning(`${edit.label}: ${field} ${JSON.stringify(value)} cannot be written in one roster cell; not adopted`, at, 'declare this contract in YAML'));
        continue;
      }
      const key = `${edit.row}:${index}`;
      const before = byCell.get(key);
      if (before && before.text !== text) {
        problems.push(warning(`${edit.label}: ${at.cell ?? key} would take two live values ("${before.text}", "${text}"); not adopted`, at, 'split the row by hand'));
        clashed.add(key);
        continue;
      }
      byCell.set(key, { row: edit.row, index, field, text, label: edit.label });
    }
  }
  for (const key of clashed) byCell.delete(key);
  return { cells: [...byCell.values()], problems };
}

/**
 * A live value as roster cell text: no upline is an empty cell, every state is `all`, a state list
 * is joined with the separator the cell already uses (`CA NY`, `CA, NY`, `CA;NY`). Undefined: a
 * value no cell can hold.
 */
export function rosterText(value: Value, previous: string): string | undefined {
  if (value === null) return '';
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) return undefined;
    const codes = value as string[];
    if (codes.length === ALL_DIVISIONS.length && ALL_DIVISIONS.every((c) => codes.includes(c))) return 'all';
    return codes.join(/[\s,;]+/.exec(previous.trim())?.[0] ?? ' ');
  }
  return typeof value === 'object' ? undefined : String(value);
}

/** The new text of a row's changed cells, by 0-based column. */
export function byRow(cells: readonly CellEdit[]): Map<number, Map<number, CellEdit>> {
  const rows = new Map<number, Map<number, CellEdit>>();
  for (const cell of cells) rows.set(cell.row, (rows.get(cell.row) ?? new Map()).set(cell.index, cell));
  return rows;
}
