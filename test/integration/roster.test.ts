import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { rosterCsv } from '../../src/render/export-roster.js';
import { assignmentConfig } from '../bench/generate.js';
import { envFor, useSandbox } from '../helpers/emulator.js';
import { example, run } from '../helpers/run.js';

const sandbox = useSandbox();
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const write = (name: string, text: string) => writeFileSync(join(sandbox.dir.path, name), text);
const read = (name: string) => readFileSync(join(sandbox.dir.path, name), 'utf8');

/** A JSON plan without what names the files it came from: `source` everywhere, the config digest and paths. */
function comparable(stdout: string): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([k]) => !['source', 'fieldSources', 'configDigest', 'configPaths'].includes(k)).map(([k, v]) => [k, strip(v)]));
  };
  return strip(JSON.parse(stdout));
}

async function plan(...paths: string[]): Promise<unknown> {
  const result = await downline('plan', '--format', 'json', ...paths);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return comparable(result.stdout);
}

describe('the same book as YAML, as CSV and as XLSX', () => {
  it('gives identical JSON plans apart from source (examples/agency, converted both ways)', async () => {
    const book = parse(readFileSync(join(example('agency'), 'downline.yaml'), 'utf8')) as Record<string, unknown>;
    const { assignments, invites, ...setup } = book as { assignments: Array<Record<string, unknown>>; invites: Array<Record<string, unknown>> };
    write('book.yaml', readFileSync(join(example('agency'), 'downline.yaml'), 'utf8'));
    write('setup.yaml', stringify(setup));
    // YAML → CSV
    const csv = rosterCsv({ assignments, invites });
    expect(csv.warnings).toEqual([]);
    write('producers.csv', csv.text);
    // CSV → XLSX (cells as a person would type them: NPNs as numbers)
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Roster');
    for (const [i, row] of (parseCsv(csv.text) as string[][]).entries()) sheet.addRow(i === 0 ? row : [Number(row[0]), ...row.slice(1)]);
    await workbook.xlsx.writeFile(join(sandbox.dir.path, 'producers.xlsx'));
    // CSV → YAML again
    const imported = await downline('import', 'producers.csv');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    write('imported.yaml', imported.stdout);

    const fromYaml = await plan('book.yaml');
    expect(JSON.stringify(fromYaml)).toContain('"action":"create"');
    expect(await plan('setup.yaml', 'producers.csv')).toEqual(fromYaml);
    expect(await plan('setup.yaml', 'producers.xlsx')).toEqual(fromYaml);
    expect(await plan('setup.yaml', 'imported.yaml')).toEqual(fromYaml);
    // The import is written as a person would: compact npns lists, one invitation per producer.
    expect(imported.stdout).toContain('  - npns: [ "17100001", "17100002",');
    expect(imported.stdout).toContain('  - producer: { npn: "17900001", email: maria.lopez@example.com, firstName: Maria, lastName: Lopez }\n');
  });
});

describe('downline export --roster', () => {
  async function roundTrip(): Promise<{ yaml: string; csv: string }> {
    const exported = await downline('export', '--out', 'setup.yaml', '--roster', 'producers.csv');
    expect(exported.code).toBe(0);
    const planned = await downline('plan', 'setup.yaml', 'producers.csv', '--detailed-exitcode');
    expect(planned.stderr).toBe('');
    expect(planned.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 0 unmanaged.');
    expect(planned.code).toBe(0);
    return { yaml: read('setup.yaml'), csv: read('producers.csv') };
  }

  it('round-trips an empty account: a header-only roster', async () => {
    const { yaml, csv } = await roundTrip();
    expect(csv).toBe('npn,carrier,product,commissionLevel\n');
    expect(yaml).not.toContain('assignments');
  });

  it('round-trips a small account: the YAML keeps the setup, the roster one row per assignment', async () => {
    expect((await downline('apply', '--auto-approve', example('agency'))).code).toBe(0);
    const { yaml, csv } = await roundTrip();
    expect(yaml).toMatch(/# id: [0-9a-f-]{36}\n {2}- name: Acme Life Insurance Company/);
    expect(yaml).not.toContain('assignments:');
    const rows = csv.trimEnd().split('\n');
    expect(rows[0]).toBe('npn,carrier,product,commissionLevel,status,upline,states');
    expect(rows).toContain('17900001,Acme Life Insurance Company,Term Life 10-Year,Street,PENDING_WITH_PRODUCER,17300001,OK TX');
    expect(rows).toHaveLength(1 + sandbox.em.store.data.assignments.length);
  });

  it('round-trips a 1,000-assignment account', async () => {
    write('big.yaml', assignmentConfig(1000));
    expect((await downline('apply', '--auto-approve', '--concurrency', '8', 'big.yaml')).code).toBe(0);
    const { csv } = await roundTrip();
    expect(csv.trimEnd().split('\n')).toHaveLength(1001);
  });

  it('refuses a roster that is not .csv before contacting the account', async () => {
    const result = await downline('export', '--roster', 'producers.xlsx');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--roster producers.xlsx: export writes a CSV roster (name it .csv)');
    expect(sandbox.em.log).toEqual([]);
  });
});

describe('roster diagnostics', () => {
  it('a state code that is itself an error is reported once, not again by statesWithinUpline', async () => {
    write('setup.yaml', 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels:\n          - { name: L1, type: percent, level: 1 }\n          - { name: L2, type: percent, level: 2 }\n');
    write('producers.csv', 'npn,carrier,product,commissionLevel,upline,states\n1000,Acme,Term,L2,,CA\n1001,Acme,Term,L1,1000,CA ZZ\n1002,Acme,Term,L1,1000,TX\n');
    const result = await downline('validate', 'setup.yaml', 'producers.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('producers.csv:3:6 (F3): error: states "ZZ" is not a two-letter');
    // A valid state outside the upline's is still a finding; the broken one is not.
    expect(result.stderr).toContain('producers.csv:4:1 (A4): warning: producer 1002 covers TX');
    expect(result.stderr).not.toContain('producer 1001 covers');
  });
});

describe('downline import', () => {
  it('reports the roster\'s own problems at their cells and prints nothing', async () => {
    write('producers.csv', 'npn,carrier,product,commissionLevel,states\n1710000A,Acme,Term,Street,CA\n');
    const result = await downline('import', 'producers.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('producers.csv:2:1 (A2): error: npn "1710000A" must be 1 to 15 digits');
  });

  it('reports a duplicate row at both rows and exits 1, as validate does, rather than printing YAML that fails validate', async () => {
    write('producers.csv', 'npn,carrier,product,commissionLevel\n17100001,Acme,Term,Street\n17100003,Acme,Term,Street\n17100003,Acme,Term,Street\n');
    const result = await downline('import', 'producers.csv');
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('producers.csv:4:1 (A4): error: the contract of producer 17100003 on "Acme / Term" is declared twice (first declared at producers.csv:3:1 (A3); remove one of the rows)\n');
    expect(result.code).toBe(1);
  });

  it('refuses what is not a roster', async () => {
    const result = await downline('import', 'downline.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('downline.yaml: import reads a roster, a .csv or .xlsx file');
  });
});

describe('a roster under --since', () => {
  it('is read at the base commit too: an edited field the API does not read back is planned from the roster', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: sandbox.dir.path, encoding: 'utf8' });
    const commit = (code: string, message: string) => {
      write('producers.csv', `npn,carrier,product,commissionLevel,userDefined1\r\n1000,Acme,Term,L1,"${code}"\r\n`);
      git('add', '.');
      git('commit', '-q', '-m', message);
    };
    git('init', '-q');
    write('setup.yaml', 'version: 1\ncarriers:\n  - name: Acme\n    products:\n      - name: Term\n        lineOfBusiness: Life\n        commissionLevels:\n          - { name: L1, type: percent, firstYearValue: 50 }\n');
    commit('A-1, old', 'base');
    expect((await downline('apply', '--auto-approve', 'setup.yaml', 'producers.csv')).code).toBe(0);
    commit('A-1, new', 'edit');
    const plan = await downline('plan', 'setup.yaml', 'producers.csv', '--since', 'HEAD~1', '--detailed-exitcode');
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('userDefined1: "A-1, old" → "A-1, new"  (changed since HEAD~1');
    expect(plan.code).toBe(2);
  });
});

