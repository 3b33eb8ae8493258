import { stringify } from 'csv-stringify/sync';
import { Document, isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { ROSTER_COLUMNS } from '../config/roster.js';
import { warning } from '../core/diagnostics.js';
import type { Diagnostic } from '../core/types.js';

/**
 * Both directions between the config language's `assignments:` / `invites:` entries and roster
 * rows: `export --roster` writes entries as CSV rows, `import` prints a roster's entries as YAML.
 * The rows are read back by src/config/roster.ts; a column is written exactly as it reads.
 */

type Entry = Record<string, unknown>;
export interface RosterEntries {
  assignments?: Entry[];
  invites?: Entry[];
}

const REQUIRED = ['npn', 'carrier', 'product', 'commissionLevel'];
/** Config field → column, where they differ. */
const COLUMN_OF: Record<string, string> = { administrativeDivisions: 'states', uplineNpn: 'upline' };
/** Spreadsheet programs run a cell starting with one of these as a formula (CSV injection). */
const FORMULA = /^[=+\-@\t\r]/;

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(' ');
  return String(value);
};

/** Entries → roster rows (one per producer-contract), as CSV text; what a roster cannot hold is a warning. */
export function rosterCsv(entries: RosterEntries): { text: string; rows: number; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const rows: Array<Record<string, string>> = [];
  const cells = (entry: Entry, owner: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(entry)) {
      if (field === 'npn' || field === 'npns') continue;
      const column = COLUMN_OF[field] ?? field;
      if (!(ROSTER_COLUMNS as readonly string[]).includes(column)) warnings.push(warning(`${owner}: a roster has no column for ${field}; left out`));
      else out[column] = text(value);
    }
    return out;
  };
  (entries.assignments ?? []).forEach((a, i) => {
    const npns = Array.isArray(a.npns) ? (a.npns as unknown[]).map(String) : [text(a.npn)];
    const shared = cells(a, `assignments[${i}]`);
    for (const npn of npns) rows.push({ npn, ...shared });
  });
  (entries.invites ?? []).forEach((invite, i) => {
    const producer = (invite.producer ?? {}) as Entry;
    if (invite.inviter) warnings.push(warning(`invites[${i}]: a roster has no column for the invite's own inviter; agency.inviter invites instead`));
    for (const contract of (invite.contracts ?? []) as Entry[]) {
      rows.push({ npn: text(producer.npn), email: text(producer.email), firstName: text(producer.firstName), lastName: text(producer.lastName),
        ...(invite.effective !== undefined ? { effective: text(invite.effective) } : {}), ...cells(contract, `invites[${i}]`) });
    }
  });
  const used = new Set(rows.flatMap((r) => Object.keys(r)));
  const columns = ROSTER_COLUMNS.filter((c) => REQUIRED.includes(c) || used.has(c));
  const risky = new Set(rows.flatMap((r) => Object.values(r)).filter((v) => FORMULA.test(v)));
  for (const value of risky) {
    warnings.push(warning(`the roster holds ${JSON.stringify(value)}: a spreadsheet program may run a cell starting with =, +, -, @ as a formula`, undefined,
      'review the file as text; downline itself reads it as plain text'));
  }
  // Quote values with spaces at either end: the reader drops spaces outside quotes, as YAML does around plain scalars.
  const csv = stringify(rows.map((r) => columns.map((c) => r[c] ?? '')), { header: true, columns: [...columns], quoted_match: /^\s|\s$/, record_delimiter: 'unix' });
  return { text: csv, rows: rows.length, warnings };
}

/**
 * A roster's entries as YAML: assignments that share a contract (every field but the NPN) become
 * one compact `npns:` entry, in the order of their first row; invitations stay one per producer.
 */
export function rosterYaml(entries: RosterEntries): string {
  const groups = new Map<string, { fields: Entry; npns: string[] }>();
  for (const a of entries.assignments ?? []) {
    const { npn, ...fields } = a;
    const key = JSON.stringify(fields);
    const group = groups.get(key) ?? { fields, npns: [] };
    group.npns.push(String(npn));
    groups.set(key, group);
  }
  const assignments = [...groups.values()].map(({ fields, npns }) => (npns.length === 1 ? { npn: npns[0], ...fields } : { npns, ...fields }));
  // A file of its own: with `version`, it loads beside the setup like any other config file.
  const doc = new Document({ version: 1, assignments, ...(entries.invites?.length ? { invites: entries.invites } : {}) });
  // Compact lists and the producer on one line, as the examples write them.
  for (const list of ['assignments', 'invites']) {
    const seq = doc.get(list, true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items as YAMLMap[]) {
      for (const key of ['npns', 'administrativeDivisions', 'producer']) {
        const node = item.get(key, true);
        if (isSeq(node) || isMap(node)) node.flow = true;
      }
      const contracts = item.get('contracts', true);
      if (isSeq(contracts)) for (const c of contracts.items as YAMLMap[]) { const d = c.get('administrativeDivisions', true); if (isSeq(d)) d.flow = true; }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** `export --roster`: the exported config's assignments move to a roster; the YAML keeps the setup (comments and all). */
export function splitRoster(yamlText: string): { yaml: string; csv: string; rows: number; warnings: Diagnostic[] } {
  const doc = parseDocument(yamlText);
  const assignments = (doc.toJS() as { assignments?: Entry[] }).assignments ?? [];
  doc.delete('assignments');
  const { text: csv, rows, warnings } = rosterCsv({ assignments });
  return { yaml: doc.toString({ lineWidth: 0 }), csv, rows, warnings };
}
