import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { rosterCsvText, rosterRows, setupConfig } from './generate.js';

interface Measured { code: number; wallMs: number; maxRssMb: number }

/** validate of a 10,000-row roster (CSV and XLSX) beside its setup YAML: wall time and peak RSS of downline alone. */
export async function benchRoster(dir: string, downline: (argv: string[]) => Promise<Measured>): Promise<string[][]> {
  const n = 10_000;
  await writeFile(join(dir, 'setup.yaml'), setupConfig());
  await writeFile(join(dir, 'roster.csv'), rosterCsvText(n));
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Roster');
  for (const row of rosterRows(n)) sheet.addRow(row);
  await book.xlsx.writeFile(join(dir, 'roster.xlsx'));
  const results: string[][] = [];
  for (const file of ['roster.csv', 'roster.xlsx']) {
    const m = await downline(['validate', 'setup.yaml', file]);
    if (m.code !== 0) throw new Error(`validate ${file} failed`);
    const size = (await stat(join(dir, file))).size;
    results.push([`10,000 rows, ${file.split('.')[1].toUpperCase()}`, `${(size / 1024 / 1024).toFixed(1)} MB`, `${Math.round(m.wallMs)} ms`, `${Math.round(m.maxRssMb)} MB`]);
  }
  return results;
}
