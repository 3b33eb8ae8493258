import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { EMULATOR_USER_HEADER } from '../../src/emulator/routes/assignments.js';
import { call, envFor, token, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

/**
 * `plan --drift --adopt` with producers in a roster (SPEC §13, §14): the drifted cells of the
 * drifted rows change and nothing else — a CSV byte for byte, an xlsx cell for cell.
 */
const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const path = (name: string) => join(sandbox.dir.path, name);

const SETUP = `version: 1
agency:
  organizationId: 00000000-0000-4000-8000-000000000001
  inviter: { firstName: Admin, lastName: User, email: admin@agency.example }
carriers:
  - name: Acme Life
    products:
      - name: Term Life
        lineOfBusiness: Life
        administrativeDivisions: [CA, NY, TX]
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
          - { name: Senior, type: percent, firstYearValue: 90, level: 2 }
`;

/** Another writer (the AgentSync UI, say), named in the changelog through the emulator's user header. */
async function editAs(user: string, npn: string, body: Record<string, unknown>) {
  const assignment = sandbox.em.store.data.assignments.find((a) => a.npn === npn)!;
  const answer = await call(sandbox.em, await token(sandbox.em), 'PUT', `/v1/customers/contractAssignments/${assignment.id}`, body, { [EMULATOR_USER_HEADER]: user });
  expect(answer.status).toBe(200);
}
const senior = () => sandbox.em.store.data.levels.find((l) => l.name === 'Senior')!.id;

async function applied(...files: string[]): Promise<void> {
  const result = await downline('apply', '--auto-approve', ...files);
  expect(result.stderr).not.toMatch(/warning|error/);
  expect(result.code).toBe(0);
}

/** Level, upline and states changed by others on producers of the roster; the plan then shows three drifted rows. */
async function drift(): Promise<void> {
  await editAs('Jane Admin', '1002', { commissionLevelId: senior() });
  await editAs('Sam Ops', '1003', { uplineNpn: '1002' });
  await editAs('Jane Admin', '1005', { administrativeDivisions: ['CA', 'NY', 'TX'] });
  sandbox.em.log.length = 0;
}

async function clean(...files: string[]): Promise<void> {
  const again = await downline('plan', '--drift', '--detailed-exitcode', ...files);
  expect(again.stdout).not.toContain('Drift');
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);
}

// A BOM, CRLF, quoting styles of every kind, a quoted line break, spaces after a separator, no final newline.
const CSV = '\uFEFFNPN,Carrier,product,"commissionLevel",upline,States,userDefined1,email,firstName,lastName\r\n'
  + '1001,Acme Life,Term Life,Senior,,"CA, NY, TX",top of the tree,,,\r\n'
  + '1002,"Acme Life","Term Life",Street,1001,CA;NY,"note with ""quotes"", and a comma",,,\r\n'
  + '1003,Acme Life,Term Life,"Street",1001,CA,"two\r\nlines",,,\r\n'
  + '\r\n'
  + '1004, Acme Life, Term Life, Street,1002,CA,,,,\r\n'
  + '1005,Acme Life,Term Life,Street,1001,"CA; NY",,pat@example.com,Pat,Lee';

describe('plan --drift --adopt rewrites a CSV roster row by row', () => {
  it('changes only the drifted cells (level, upline, states; a BOM, CRLF and every other byte kept), names who changed them, and the next plan is clean', async () => {
    writeFileSync(path('setup.yaml'), SETUP);
    writeFileSync(path('producers.csv'), CSV);
    await applied('setup.yaml', 'producers.csv');
    await drift();

    const adopted = await downline('plan', '--drift', '--adopt', 'setup.yaml', 'producers.csv');
    expect(adopted.stderr).toBe('Adopted the live values into producers.csv (3): review with git diff; a plan of the adopted config shows no drift.\n');
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain('  ~ assignment of 1002 on "Acme Life / Term Life" (commissionLevel): changed by Jane Admin on');
    expect(adopted.stdout).toContain('  ~ assignment of 1003 on "Acme Life / Term Life" (upline): changed by Sam Ops on');
    expect(writes(sandbox.em)).toEqual([]);

    const after = readFileSync(path('producers.csv'));
    expect(after.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Exactly the drifted cells: a quoted cell stays quoted, a changed state list keeps its separator.
    expect(after.toString('utf8')).toBe(CSV
      .replace('1002,"Acme Life","Term Life",Street,1001,', '1002,"Acme Life","Term Life",Senior,1001,')
      .replace('1003,Acme Life,Term Life,"Street",1001,', '1003,Acme Life,Term Life,"Street",1002,')
      .replace('1005,Acme Life,Term Life,Street,1001,"CA; NY",', '1005,Acme Life,Term Life,Street,1001,"CA; NY; TX",'));
    const patch = createTwoFilesPatch('a/producers.csv', 'b/producers.csv', CSV, after.toString('utf8'), '', '', { context: 0 });
    expect(patch.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '-1002,"Acme Life","Term Life",Street,1001,CA;NY,"note with ""quotes"", and a comma",,,\r',
      '-1003,Acme Life,Term Life,"Street",1001,CA,"two\r',
      '+1002,"Acme Life","Term Life",Senior,1001,CA;NY,"note with ""quotes"", and a comma",,,\r',
      '+1003,Acme Life,Term Life,"Street",1002,CA,"two\r',
      '-1005,Acme Life,Term Life,Street,1001,"CA; NY",,pat@example.com,Pat,Lee',
      '+1005,Acme Life,Term Life,Street,1001,"CA; NY; TX",,pat@example.com,Pat,Lee',
    ]);
    await clean('setup.yaml', 'producers.csv');
  });

  it('adopts a mixed config, YAML and CSV, in one run', async () => {
    writeFileSync(path('setup.yaml'), `${SETUP}assignments:
  - npn: "2001"             # kept in YAML
    carrier: Acme Life
    product: Term Life
    commissionLevel: Street
`);
    const roster = 'npn,carrier,product,commissionLevel,upline\n1002,Acme Life,Term Life,Street,\n1003,Acme Life,Term Life,Street,\n';
    writeFileSync(path('producers.csv'), roster);
    await applied('setup.yaml', 'producers.csv');
    await editAs('Jane Admin', '2001', { commissionLevelId: senior() });
    await editAs('Jane Admin', '1003', { uplineNpn: '1002' });

    const adopted = await downline('plan', '--adopt', 'setup.yaml', 'producers.csv');
    expect(adopted.stderr).toBe('Adopted the live values into setup.yaml (1), producers.csv (1): review with git diff; a plan of the adopted config shows no drift.\n');
    expect(readFileSync(path('setup.yaml'), 'utf8')).toContain('    commissionLevel: Senior\n');
    expect(readFileSync(path('setup.yaml'), 'utf8')).toContain('  - npn: "2001"             # kept in YAML\n');
    expect(readFileSync(path('producers.csv'), 'utf8')).toBe(roster.replace('1003,Acme Life,Term Life,Street,\n', '1003,Acme Life,Term Life,Street,1002\n'));
    await clean('setup.yaml', 'producers.csv');
  });

  it('writes nothing for a value the roster has no column for: a warning at the row, the file as it was', async () => {
    writeFileSync(path('setup.yaml'), SETUP);
    const roster = 'npn,carrier,product,commissionLevel\n1002,Acme Life,Term Life,Street\n1005,Acme Life,Term Life,Street\n';
    writeFileSync(path('producers.csv'), roster);
    await applied('setup.yaml', 'producers.csv');
    // A row without an upline is a top position: an upline set by hand is drift.
    await editAs('Jane Admin', '1005', { uplineNpn: '1002' });
    const adopted = await downline('plan', '--adopt', 'setup.yaml', 'producers.csv');
    expect(adopted.stderr).toContain('producers.csv:3:1 (A3): warning: assignment of 1005 on "Acme Life / Term Life": the roster has no upline column for upline "1002"; not adopted (add an upline column, or declare this contract in YAML)');
    expect(adopted.stderr).toContain('Nothing to adopt: 1 drifted value(s) could not be written (see above)');
    expect(readFileSync(path('producers.csv'), 'utf8')).toBe(roster);
  });
});

/** A styled workbook: the roster sheet first (NPNs typed as numbers), a second sheet, a formula. */
async function workbook(formulaInLevel: boolean): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Producers');
  sheet.addRow(['npn', 'carrier', 'product', 'commissionLevel', 'upline', 'states', 'userDefined1']);
  sheet.getRow(1).font = { bold: true };
  sheet.addRow([1001, 'Acme Life', 'Term Life', 'Senior', null, 'CA NY', { formula: '"T-"&A2', result: 'T-1001' }]);
  sheet.addRow([1002, 'Acme Life', 'Term Life', formulaInLevel ? { formula: '"Str"&"eet"', result: 'Street' } : 'Street', 1001, 'CA', 'x']);
  sheet.addRow([1003, 'Acme Life', 'Term Life', 'Street', 1001, 'CA', null]);
  sheet.getCell('D3').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  sheet.getCell('E4').numFmt = '0';
  sheet.getColumn(2).width = 30;
  const notes = book.addWorksheet('Notes');
  notes.addRow(['Owner', 'Contracting team']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Every cell of every sheet as [sheet!address, value, style], for comparing two workbooks. */
async function cells(bytes: Buffer): Promise<Map<string, { value: unknown; style: unknown }>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const out = new Map<string, { value: unknown; style: unknown }>();
  for (const sheet of book.worksheets) {
    sheet.eachRow({ includeEmpty: true }, (row) => row.eachCell({ includeEmpty: true }, (cell) => {
      out.set(`${sheet.name}!${cell.address}`, { value: cell.value, style: JSON.parse(JSON.stringify(cell.style)) });
    }));
  }
  return out;
}

describe('plan --drift --adopt edits an xlsx roster cell by cell', () => {
  it('changes the drifted cells only, keeps styles, formulas elsewhere and the other sheets, and the next plan is clean', async () => {
    writeFileSync(path('setup.yaml'), SETUP);
    const before = await workbook(false);
    writeFileSync(path('producers.xlsx'), before);
    await applied('setup.yaml', 'producers.xlsx');
    await editAs('Jane Admin', '1002', { commissionLevelId: senior() });
    await editAs('Sam Ops', '1003', { uplineNpn: '1002' });

    const adopted = await downline('plan', '--drift', '--adopt', 'setup.yaml', 'producers.xlsx');
    expect(adopted.stderr).toBe('Adopted the live values into producers.xlsx (2): review with git diff; a plan of the adopted config shows no drift.\n');
    expect(adopted.code).toBe(0);

    const old = await cells(before);
    const now = await cells(readFileSync(path('producers.xlsx')));
    expect(now.get('Producers!D3')).toEqual({ value: 'Senior', style: old.get('Producers!D3')!.style });
    // An NPN typed as a number stays a number, with its number format.
    expect(now.get('Producers!E4')).toEqual({ value: 1002, style: old.get('Producers!E4')!.style });
    expect((now.get('Producers!D3')!.style as { fill: { fgColor: { argb: string } } }).fill.fgColor.argb).toBe('FFFFFF00');
    for (const address of ['Producers!D3', 'Producers!E4']) { old.delete(address); now.delete(address); }
    expect(now).toEqual(old);
    expect(now.get('Producers!G2')!.value).toEqual({ formula: '"T-"&A2', result: 'T-1001' });
    expect(now.get('Notes!B1')!.value).toBe('Contracting team');
    await clean('setup.yaml', 'producers.xlsx');
  });

  it('never overwrites a formula: a warning at Sheet!C7 names the live value, and the workbook is left as it was', async () => {
    writeFileSync(path('setup.yaml'), SETUP);
    const before = await workbook(true);
    writeFileSync(path('producers.xlsx'), before);
    await applied('setup.yaml', 'producers.xlsx');
    await editAs('Jane Admin', '1002', { commissionLevelId: senior() });

    const adopted = await downline('plan', '--adopt', 'setup.yaml', 'producers.xlsx');
    expect(adopted.stderr).toContain('producers.xlsx:3:4 (Producers!D3): warning: assignment of 1002 on "Acme Life / Term Life": commissionLevel comes from a formula (="Str"&"eet"); not adopted (change the formula to give "Senior", or type the value over it)');
    expect(adopted.stderr).toContain('Nothing to adopt');
    expect(readFileSync(path('producers.xlsx'))).toEqual(before);
  });

  it('does not rewrite a workbook holding what exceljs would drop (a chart): the cells to type in are named instead', async () => {
    writeFileSync(path('setup.yaml'), SETUP);
    const zip = await JSZip.loadAsync(await workbook(false));
    zip.file('xl/charts/chart1.xml', '<?xml version="1.0" encoding="UTF-8"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>');
    const before = await zip.generateAsync({ type: 'nodebuffer' });
    writeFileSync(path('producers.xlsx'), before);
    await applied('setup.yaml', 'producers.xlsx');
    await editAs('Jane Admin', '1002', { commissionLevelId: senior() });

    const adopted = await downline('plan', '--adopt', 'setup.yaml', 'producers.xlsx');
    expect(adopted.stderr).toContain('producers.xlsx:3:4 (Producers!D3): warning: assignment of 1002 on "Acme Life / Term Life": the workbook holds a chart (xl/charts/chart1.xml), which rewriting it would lose; not adopted (type "Senior" in Producers!D3 by hand, or keep the roster in a workbook of its own)');
    expect(readFileSync(path('producers.xlsx'))).toEqual(before);
  });
});
