import { error } from '../core/diagnostics.js';
import { USER_DEFINED } from '../core/desired.js';
import { didYouMean } from '../core/suggest.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import type { ParsedFile, Path } from './parse.js';
import { columnLetters, isXlsx, readCsv, readXlsx, type Grid } from './roster-read.js';
import { loadSchema } from './schema.js';

/**
 * A roster (CSV or xlsx) becomes a ParsedFile like any YAML file: its `data` is the document the
 * same rows would be in YAML (`assignments:` and `invites:`), and `locate` maps every path of that
 * document back to the row and column it came from. Everything downstream — schema, desired state,
 * references, duplicates across files, plan — is the YAML pipeline, unchanged.
 */

/** The columns a roster may have, as the README and SPEC §13 spell them (matched case-insensitively). */
export const ROSTER_COLUMNS = ['npn', 'carrier', 'product', 'commissionLevel', 'status', 'statusPolicy', 'upline', 'states', 'effective', 'until', 'terminationReason', 'endDate', 'email', 'firstName', 'lastName', ...USER_DEFINED] as const;
const REQUIRED = ['npn', 'carrier', 'product', 'commissionLevel'];
const PRODUCER = ['email', 'firstName', 'lastName'];
/** Columns whose config field has another name. */
const FIELD: Record<string, string> = { states: 'administrativeDivisions' };
/** Columns an invitation row cannot carry: an invitation creates its contracts, it does not end them. */
const NOT_ON_INVITATIONS = ['status', 'statusPolicy', 'until', 'terminationReason', 'endDate'];

type Entry = Record<string, unknown>;
interface RowMeta { row: number; line?: number }

let properties: Record<'assignment' | 'invite' | 'inviteContract', Set<string>> | undefined;
/** What the config language accepts where, read from the schema: a column is only as supported as its field. */
function accepted() {
  if (!properties) {
    const defs = (loadSchema() as { $defs: Record<string, { properties: object }> }).$defs;
    const of = (name: string) => new Set(Object.keys(defs[name]?.properties ?? {}));
    properties = { assignment: of('assignment'), invite: of('invite'), inviteContract: of('inviteContract') };
  }
  return properties;
}

/** The invitation-contract field of the `upline` column (`uplineNpn` until the language takes `upline` there too). */
const contractUpline = () => (accepted().inviteContract.has('upline') ? 'upline' : 'uplineNpn');

export async function parseRoster(file: string, bytes: Buffer): Promise<{ parsed?: ParsedFile; diagnostics: Diagnostic[] }> {
  const read = isXlsx(file) ? await readXlsx(file, bytes) : readCsv(file, bytes);
  if (!read.grid) return { diagnostics: read.diagnostics };
  return rosterDocument(file, read.grid);
}

export function rosterDocument(file: string, grid: Grid): { parsed?: ParsedFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (meta: RowMeta, column: number): SourceLocation => {
    const cell = `${columnLetters(column)}${meta.row}`;
    return { file, line: meta.row, column, cell: grid.sheet !== undefined ? `${grid.sheet}!${cell}` : cell, ...(meta.line !== undefined ? { textLine: meta.line } : {}) };
  };
  const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const [header, ...body] = grid.rows;
  if (!header || (blank(header.cells) && body.every((r) => blank(r.cells)))) {
    return { diagnostics: [error('the roster is empty', { file, line: 1, column: 1 }, `add a header row (${REQUIRED.join(',')}) and a row per producer contract; a header alone is a valid, empty roster`)] };
  }

  const { columns, named, missing } = readHeader(header, at, diagnostics);
  if (missing.length > 0) return { diagnostics };

  const assignments: Entry[] = [];
  const assignmentRows: Array<RowMeta & { cells: string[] }> = [];
  const invites: Array<{ producer: Entry; contracts: Entry[]; effective?: string }> = [];
  const inviteRows: Array<Array<RowMeta & { cells: string[] }>> = [];
  const inviteOf = new Map<string, number>();

  for (const row of body) {
    if (blank(row.cells)) continue;
    // A cell holding only spaces is empty; otherwise a value is taken as written (CSV spaces outside quotes are already gone).
    const cell = (column: string) => {
      const value = columns.has(column) ? (row.cells[columns.get(column)!] ?? '') : '';
      return value.trim() === '' ? '' : value;
    };
    const where = (column: string) => at(row, (columns.get(column) ?? 0) + 1);
    let broken = false;
    row.cells.forEach((value, i) => {
      if (value.trim() !== '' && !named.has(i)) {
        diagnostics.push(error(`a value in column ${columnLetters(i + 1)}, which has no header`, at(row, i + 1), `name the column in row 1 (${columnLetters(i + 1)}1), or clear the cell`));
      }
    });
    for (const column of REQUIRED) {
      if (cell(column) === '') {
        diagnostics.push(error(`${column} is empty`, where(column), `fill in ${where(column).cell}, or delete row ${row.row}`));
        broken = true;
      }
    }
    const invitation = cell('email') !== '';
    if (invitation) {
      for (const column of ['firstName', 'lastName']) {
        if (cell(column) === '') {
          diagnostics.push(error(`${column} is empty on an invitation row (a row with an email)`, columns.has(column) ? where(column) : where('email'),
            columns.has(column) ? `fill in ${where(column).cell}` : `add a ${column} column: an invitation names the producer`));
          broken = true;
        }
      }
      for (const column of NOT_ON_INVITATIONS) {
        if (cell(column) !== '') {
          diagnostics.push(error(`an invitation row (a row with an email) takes no ${column}: the invitation creates the contract`, where(column), `clear ${where(column).cell}, or clear the email to make the row an assignment`));
          broken = true;
        }
      }
    } else {
      for (const column of ['firstName', 'lastName']) {
        if (cell(column) !== '') {
          diagnostics.push(error(`${column} is only read on invitation rows, and this row has no email`, where(column), `fill in the email to invite the producer, or clear ${where(column).cell}`));
        }
      }
    }
    if (broken) continue;

    const fields: Entry = {};
    for (const column of ['carrier', 'product', 'commissionLevel', ...(invitation ? [] : ['status', 'statusPolicy']), 'upline', 'states', ...(invitation ? [] : ['until', 'terminationReason', 'endDate']), ...USER_DEFINED]) {
      const value = cell(column);
      if (value === '') continue;
      const field = column === 'upline' && invitation ? contractUpline() : (FIELD[column] ?? column);
      fields[field] = column === 'states' ? states(value) : value;
    }
    if (!invitation) {
      const effective = cell('effective');
      assignments.push({ npn: cell('npn'), ...fields, ...(effective ? { effective } : {}) });
      assignmentRows.push(row);
      continue;
    }
    const npn = cell('npn');
    let index = inviteOf.get(npn);
    if (index === undefined) {
      index = invites.length;
      inviteOf.set(npn, index);
      const effective = cell('effective');
      invites.push({ producer: { npn, email: cell('email'), firstName: cell('firstName'), lastName: cell('lastName') }, contracts: [], ...(effective ? { effective } : {}) });
      inviteRows.push([]);
    } else {
      // Rows of one producer form one invitation: what names the producer must agree.
      const first = inviteRows[index][0];
      const invite = invites[index];
      for (const column of [...PRODUCER, 'effective']) {
        const before = String((column === 'effective' ? invite.effective : invite.producer[column]) ?? '');
        if (cell(column) !== before) {
          diagnostics.push(error(`producer ${npn} is invited with ${column} "${before}" on row ${first.row}, and "${cell(column)}" here`, where(column),
            `the invitation rows of one producer repeat the same ${column}: make ${where(column).cell} match ${at(first, (columns.get(column) ?? 0) + 1).cell}`));
        }
      }
    }
    invites[index].contracts.push(fields);
    inviteRows[index].push(row);
  }

  // The version is the roster format's (one, for now): a roster never declares the language's.
  const data: Entry = { version: 1 };
  if (assignments.length > 0) data.assignments = assignments;
  if (invites.length > 0) data.invites = invites.map(({ producer, contracts, effective }) => ({ producer, contracts, ...(effective ? { effective } : {}) }));

  /** The row and column behind a document path. */
  const cellOf = (path: Path): { meta: RowMeta & { cells: string[] }; column?: string } | undefined => {
    const [list, index, ...rest] = path;
    if (list === 'assignments' && typeof index === 'number' && assignmentRows[index]) return { meta: assignmentRows[index], column: columnOf(rest[0]) ?? 'npn' };
    if (list === 'invites' && typeof index === 'number' && inviteRows[index]) {
      const rows = inviteRows[index];
      if (rest[0] === 'contracts' && typeof rest[1] === 'number' && rows[rest[1]]) return { meta: rows[rest[1]], column: columnOf(rest[2]) ?? 'npn' };
      if (rest[0] === 'producer') return { meta: rows[0], column: columnOf(rest[1]) ?? 'npn' };
      return { meta: rows[0], column: columnOf(rest[0]) ?? 'npn' };
    }
    return undefined;
  };
  const locate = (path: Path): SourceLocation => {
    const found = cellOf(path);
    return found ? at(found.meta, (columns.get(found.column ?? 'npn') ?? 0) + 1) : at(header, 1);
  };
  const sourceText = (path: Path): string | undefined => {
    const found = cellOf(path);
    return found && columns.has(found.column ?? '') ? found.meta.cells[columns.get(found.column!)!] : undefined;
  };
  /** Schema messages name the column, not the config field (`states`, not `administrativeDivisions[1]`). */
  const label = (path: Path): string | undefined => {
    const found = cellOf(path);
    return found?.column;
  };
  return { parsed: { file, data, locate, sourceText, label, defaulted: [] }, diagnostics };
}

/**
 * Row 1: which column holds which field (0-based index), and which columns are named at all. Unknown,
 * repeated and not-yet-supported columns are reported at their header cell; missing required ones at A1.
 */
function readHeader(header: RowMeta & { cells: string[] }, at: (meta: RowMeta, column: number) => SourceLocation, diagnostics: Diagnostic[]) {
  const columns = new Map<string, number>();
  const named = new Set<number>();
  // Excel writes ";" (or a tab) in many locales: one header cell holding them is that, not unknown columns.
  const names = header.cells.filter((c) => c.trim() !== '');
  const separator = names.length === 1 ? [';', '\t'].find((x) => names[0].includes(x)) : undefined;
  if (separator) {
    diagnostics.push(error(`row 1 is one column whose names are separated by ${separator === ';' ? '";"' : 'tabs'}, not commas`, at(header, 1),
      'save the roster as CSV with commas: Excel\'s "CSV UTF-8 (Comma delimited)"'));
    return { columns, named, missing: REQUIRED };
  }
  header.cells.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') return;
    const column = rosterColumn(name);
    const here = at(header, i + 1);
    if (!column) {
      diagnostics.push(error(`unknown column "${name}"`, here, didYouMean(name, ROSTER_COLUMNS) ?? `rename or remove it; roster columns: ${ROSTER_COLUMNS.filter((c) => !c.startsWith('userDefined')).join(', ')}, userDefined1..10`));
    } else if (columns.has(column)) {
      const first = at(header, columns.get(column)! + 1);
      diagnostics.push(error(`column "${column}" appears twice`, here, `first at ${first.cell}; keep one`));
    } else if (!accepted().assignment.has(FIELD[column] ?? column) && !PRODUCER.includes(column) && column !== 'npn') {
      diagnostics.push(error(`column "${column}" is not supported yet: this version of the config language has no "${column}"`, here, 'remove the column (its values would be ignored otherwise)'));
    } else {
      columns.set(column, i);
    }
    named.add(i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c) && !header.cells.some((h) => h.trim().toLowerCase() === c.toLowerCase()));
  for (const column of missing) diagnostics.push(error(`missing required column "${column}"`, at(header, 1), `add a column named ${column} to row 1`));
  return { columns, named, missing };
}

const CANONICAL = new Map(ROSTER_COLUMNS.map((c) => [c.toLowerCase(), c as string]));
/** A header cell's column as the README spells it (`States` → `states`), or undefined for an unknown one. */
export const rosterColumn = (name: string): string | undefined => CANONICAL.get(name.trim().toLowerCase());

/** The column a config field came from (and where `--adopt` writes it back). */
export function columnOf(field: string | number | undefined): string | undefined {
  if (typeof field !== 'string') return undefined;
  if (field === 'administrativeDivisions') return 'states';
  if (field === 'uplineNpn') return 'upline';
  return field;
}

/** `CA TX`, `CA,TX`, `CA; TX` or `all`. */
function states(value: string): string | string[] {
  return value.toLowerCase() === 'all' ? 'all' : value.split(/[\s,;]+/).filter(Boolean);
}
