import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, run, tempDir } from '../../helpers/run.js';

const DIR = 'test/fixtures/broken-rosters';
const SETUP = `${DIR}/setup.yaml`;

interface Expected { line: number; column: number; cell?: string; textLine?: number; message: string; hint?: RegExp }
const at = (line: number, column: number, message: string, hint: RegExp): Expected => ({ line, column, cell: `${String.fromCharCode(64 + column)}${line}`, textLine: line, message, hint });

/** Each broken roster: where the one error is (row, column, cell as a spreadsheet shows them) and what it says to do. */
const EXPECTED: Record<string, Expected> = {
  'unknown-column.csv': at(1, 5, 'unknown column "stauts"', /did you mean "status"\?/),
  'missing-column.csv': at(1, 1, 'missing required column "commissionLevel"', /add a column named commissionLevel to row 1/),
  'duplicate-column.csv': at(1, 6, 'column "status" appears twice', /first at E1; keep one/),
  'empty.csv': { line: 1, column: 1, message: 'the roster is empty', hint: /add a header row \(npn,carrier,product,commissionLevel\)/ },
  'bad-npn.csv': at(3, 1, 'npn "1710000A" must be 1 to 15 digits', /digits only/),
  'bad-state.csv': at(3, 5, 'states "XX" is not a two-letter US state or territory code', /did you mean "TX"\?/),
  'bad-upline.csv': at(3, 5, 'upline "17-100001" must be 1 to 15 digits', /digits only/),
  // The message is the instruction: the schema's wording for every email, in YAML too.
  'bad-email.csv': { ...at(2, 5, 'email "maria-at-example.com" is not a valid email address', /./), hint: undefined },
  'bad-status-policy.csv': at(2, 5, 'statusPolicy "always" is not an allowed value', /one of: initial, enforce/),
  'dangling-carrier.csv': at(2, 2, 'carrier "Acme Lfe" is not declared under carriers', /did you mean "Acme Life"\?/),
  'dangling-product.csv': at(2, 3, 'product "Term Life 10" is not declared under carrier "Acme Life"', /did you mean "Term Life"\?/),
  'dangling-level.csv': at(2, 4, 'commission level "Streat" is not declared under product "Term Life"', /did you mean "Street"\?/),
  'duplicate-row.csv': at(4, 1, 'the contract of producer 17100001 on "Acme Life / Term Life" is declared twice', /first declared at test\/fixtures\/broken-rosters\/duplicate-row.csv:2:1 \(A2\)/),
  'duplicate-of-yaml.csv': at(3, 1, 'the contract of producer 19999999 on "Acme Life / Term Life" is declared twice', /first declared at test\/fixtures\/broken-rosters\/setup.yaml:19:5/),
  'value-without-header.csv': at(3, 6, 'a value in column F, which has no header', /name the column in row 1 \(F1\), or clear the cell/),
  'empty-carrier.csv': at(3, 2, 'carrier is empty', /fill in B3, or delete row 3/),
  'invitation-without-name.csv': at(2, 7, 'lastName is empty on an invitation row', /fill in G2/),
  'invitation-with-status.csv': at(2, 5, 'an invitation row (a row with an email) takes no status', /clear E2, or clear the email/),
  'invitation-two-emails.csv': at(3, 5, 'producer 17900001 is invited with email "maria@example.com" on row 2, and "maria.lopez@example.com" here', /make E3 match E2/),
  'name-without-email.csv': at(2, 5, 'firstName is only read on invitation rows, and this row has no email', /fill in the email .* or clear E2/),
  'unclosed-quote.csv': at(3, 2, 'cannot read the CSV: a quoted field is never closed (row 3, from line 3)', /quote a field that holds commas/),
  // The third data row starts on line 6: two quoted fields above it span two lines each.
  'multiline-dangling.csv': { ...at(4, 3, 'product "Term\r\nLife" is not declared under carrier "Acme Life"', /did you mean "Term Life"\?/), textLine: 6 },
  // The hierarchy's integrity rules (SPEC §10) report at the row of the entry, as in YAML.
  'upline-cycle.csv': at(2, 1, 'upline cycle on "Acme Life / Term Life": 17100001 → 17100002 → 17100001', /another upline, or none/),
  'level-above-upline.csv': at(3, 1, 'producer 17100003\'s commission level "Advanced" (90) pays more than the level "Street" (80) of its upline 17100001', /a level paying at most 80/),
  // Excel's plain "CSV" on Windows is cp1252: "Café" is one byte 0xE9, not UTF-8.
  'not-utf8.csv': { line: 4, column: 1, message: 'the CSV is not UTF-8 text', hint: /save it as "CSV UTF-8"/ },
  'bad-date.csv': at(2, 5, 'until "2026-02-30" is not a real date', /YYYY-MM-DD/),
};

type Json = { diagnostics: Array<{ severity: string; message: string; hint?: string; source?: Record<string, unknown> }> };
const errorsOf = (stdout: string) => (JSON.parse(stdout) as Json).diagnostics.filter((d) => d.severity === 'error');

describe('broken rosters: one defect each, at the row and column a spreadsheet shows', () => {
  it('has a corpus of at least twenty fixtures, each with its expectation', () => {
    const files = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.csv')).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s is rejected at its row and column, saying what to do', async (name) => {
    const expected = EXPECTED[name];
    const result = await run(['validate', '--format', 'json', SETUP, `${DIR}/${name}`], { cwd: ROOT });
    expect(result.code).toBe(1);
    const errors = errorsOf(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0].source).toEqual({
      file: `${DIR}/${name}`, line: expected.line, column: expected.column,
      ...(expected.cell ? { cell: expected.cell } : {}), ...(expected.textLine ? { textLine: expected.textLine } : {}),
    });
    expect(errors[0].message.startsWith(expected.message), errors[0].message).toBe(true);
    if (expected.hint) expect(errors[0].hint).toMatch(expected.hint);
    else expect(errors[0].hint).toBeUndefined();
  });

  it('--format github annotates the line the row starts on, and the text names row, column and cell', async () => {
    const result = await run(['validate', '--format', 'github', SETUP, `${DIR}/multiline-dangling.csv`], { cwd: ROOT });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${DIR}/multiline-dangling.csv:4:3 (C4): error: product "Term\\u000d\\u000aLife" is not declared`);
    expect(result.stderr).toContain(`::error file=${DIR}/multiline-dangling.csv,line=6::product "Term%0D%0ALife" is not declared under carrier "Acme Life"`);
  });
});

describe('rosters that are valid', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());
  const validate = (...paths: string[]) => run(['validate', ...paths.map((p) => (p.startsWith('/') ? p : join(dir.path, p)))], { cwd: ROOT });

  it('a header-only roster is valid and declares nothing', async () => {
    await writeFile(join(dir.path, 'producers.csv'), 'NPN,Carrier,Product,CommissionLevel\n');
    const result = await validate(join(ROOT, SETUP), 'producers.csv');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Valid: 2 file(s), 1 carrier(s), 2 product(s), 3 commission level(s), 1 assignment(s), 0 invite(s), 0 Turris invite(s).\n');
  });

  it('reads a BOM, CRLF, quoted commas and line breaks, blank rows, and any case of the column names', async () => {
    await writeFile(join(dir.path, 'producers.csv'), '\uFEFFnpn,CARRIER,Product,commissionlevel,States\r\n17100001,"Acme Life","Term Life",Street,"CA,\r\nTX"\r\n\r\n"17100002",Acme Life,Term Life,Street,all\r\n');
    const result = await validate(join(ROOT, SETUP), 'producers.csv');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 assignment(s)');
  });

  it('a directory takes its rosters with its YAML files, sorted', async () => {
    await writeFile(join(dir.path, 'a-setup.yaml'), (await import('node:fs')).readFileSync(join(ROOT, SETUP), 'utf8'));
    await writeFile(join(dir.path, 'b-producers.csv'), 'npn,carrier,product,commissionLevel\n17100001,Acme Life,Term Life,Street\n19999999,Acme Life,Term Life,Street\n');
    const result = await run(['validate', '--format', 'json', dir.path], { cwd: dir.path });
    // The roster is read after the YAML (sorted), so its row is the second declaration.
    expect(errorsOf(result.stdout).map((e) => [e.source?.file, e.source?.line])).toEqual([['b-producers.csv', 3]]);
  });
});

describe('xlsx rosters', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  async function workbook(rows: unknown[][], sheetName = 'Producers'): Promise<string> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet(sheetName);
    for (const row of rows) sheet.addRow(row);
    book.addWorksheet('Notes').addRow(['ignored: only the first worksheet is read', 'bogus column']);
    const path = join(dir.path, 'producers.xlsx');
    await book.xlsx.writeFile(path);
    return path;
  }

  it('locates an error at the sheet and cell, and reads numbers, dates and hyperlinks as text', async () => {
    const path = await workbook([
      ['NPN', 'carrier', 'product', 'commissionLevel', 'email', 'firstName', 'lastName', 'userDefined1', 'userDefined2'],
      [17100001, 'Acme Life', 'Term Life', 'Street', null, null, null, new Date(Date.UTC(2027, 0, 1)), { formula: '"ab"&"c"', result: 'abc' }],
      [17900001, 'Acme Life', 'Term Life', 'Stret', { text: 'maria@example.com', hyperlink: 'mailto:maria@example.com' }, 'Maria', 'Lopez'],
    ]);
    const imported = await run(['import', path], { cwd: dir.path });
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('  - npn: "17100001"\n    carrier: Acme Life\n    product: Term Life\n    commissionLevel: Street\n    userDefined1: 2027-01-01\n    userDefined2: abc\n');
    expect(imported.stdout).toContain('  - producer: { npn: "17900001", email: maria@example.com, firstName: Maria, lastName: Lopez }\n');
    const result = await run(['validate', '--format', 'json', join(ROOT, SETUP), path], { cwd: dir.path });
    const errors = errorsOf(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0].source).toEqual({ file: 'producers.xlsx', line: 3, column: 4, cell: 'Producers!D3' });
    expect(errors[0].message).toBe('commission level "Stret" is not declared under product "Term Life"');
  });

  it('an empty workbook is an error; a header-only one is valid', async () => {
    const empty = await workbook([]);
    const result = await run(['validate', '--format', 'json', empty], { cwd: ROOT });
    expect(errorsOf(result.stdout).map((e) => e.message)).toEqual(['the roster is empty']);
    await workbook([['npn', 'carrier', 'product', 'commissionLevel']]);
    const header = await run(['validate', SETUP, join(dir.path, 'producers.xlsx')], { cwd: ROOT });
    expect(header.stderr).toBe('');
    expect(header.code).toBe(0);
  });

  it('a file that is not a workbook is an error naming the file', async () => {
    const path = join(dir.path, 'producers.xlsx');
    await writeFile(path, 'npn,carrier\n');
    const result = await run(['validate', '--format', 'json', path], { cwd: dir.path });
    const errors = errorsOf(result.stdout);
    expect(errors[0].message).toMatch(/^cannot read the workbook: /);
    expect(errors[0].source).toEqual({ file: 'producers.xlsx', line: 1, column: 1 });
  });
});
