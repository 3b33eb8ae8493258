import { readFileSync } from 'node:fs';
import { STATE_CODES } from './lookups.js';

/**
 * The emulator's ProducerSync licence table: NPN → the licences that producer holds. An NPN in the
 * table holds exactly what it lists (an empty list: no licence anywhere); any other NPN is licensed
 * everywhere (the default, so a fresh local account contracts freely).
 *
 * File form (`--licenses FILE`, or `licenses.json` beside the local state), for example:
 *   { "17000007": [ { "state": "CA" }, { "state": "TX", "expirationDate": "2026-09-30" },
 *                   { "state": "NY", "linesOfAuthority": ["Property", "Casualty"] } ] }
 * Omitted fields default to: active true, expirationDate two years ahead, residentLicense false,
 * linesOfAuthority every default line (a string is `{ loaName, loaCategory: it, active: true }`).
 */
export type LicenceTable = Record<string, LicenceEntry[]>;

export interface LicenceEntry {
  state: string;
  active?: boolean;
  expirationDate?: string;
  residentLicense?: boolean;
  linesOfAuthority?: Array<string | { loaName: string; loaCategory: string; active?: boolean }>;
}

export class LicenceTableError extends Error {}

export function readLicenceTable(file: string): LicenceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LicenceTableError(`licence table ${file}: ${(cause as Error).message}`);
  }
  const problem = tableProblem(parsed);
  if (problem) throw new LicenceTableError(`licence table ${file}: ${problem} (expected { "<npn>": [ { "state": "TX", … } ] })`);
  return parsed as LicenceTable;
}

function tableProblem(table: unknown): string | undefined {
  if (!table || typeof table !== 'object' || Array.isArray(table)) return 'not a JSON object';
  for (const [npn, entries] of Object.entries(table)) {
    if (!/^\d{1,15}$/.test(npn)) return `"${npn}" is not an NPN (1 to 15 digits)`;
    if (!Array.isArray(entries)) return `${npn}: not a list of licences`;
    for (const [i, e] of entries.entries()) {
      const at = `${npn}[${i}]`;
      if (!e || typeof e !== 'object') return `${at}: not an object`;
      const entry = e as Record<string, unknown>;
      if (typeof entry.state !== 'string' || !STATE_CODES.has(entry.state)) return `${at}.state: not a two-letter state code`;
      if (entry.active !== undefined && typeof entry.active !== 'boolean') return `${at}.active: not true or false`;
      if (entry.residentLicense !== undefined && typeof entry.residentLicense !== 'boolean') return `${at}.residentLicense: not true or false`;
      if (entry.expirationDate !== undefined && (typeof entry.expirationDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(entry.expirationDate))) return `${at}.expirationDate: not a date like 2027-12-31`;
      if (entry.linesOfAuthority !== undefined && !Array.isArray(entry.linesOfAuthority)) return `${at}.linesOfAuthority: not a list`;
    }
  }
  return undefined;
}
