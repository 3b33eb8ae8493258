import { error } from './diagnostics.js';
import type { LookupItem, LookupTables } from './live.js';
import { didYouMean } from './suggest.js';
import type { Diagnostic, SourceLocation } from './types.js';

export type LookupTable = keyof LookupTables;

const LABELS: Record<LookupTable, string> = {
  linesOfBusiness: 'line of business',
  contractSubmissionMethods: 'contract submission method',
  annualizations: 'annualization',
  assignmentStatuses: 'assignment status',
};

/**
 * Lookup names in the config resolve against the live lookup lists: exact name first, then
 * case-insensitively by name or description ("Approved" finds APPROVED).
 */
export class Lookups {
  private byId = new Map<string, LookupItem>();

  constructor(private readonly tables: LookupTables) {
    for (const items of Object.values(tables) as LookupItem[][]) for (const item of items) this.byId.set(item.id, item);
  }

  find(table: LookupTable, name: string): LookupItem | undefined {
    const items = this.tables[table];
    const lower = name.toLowerCase();
    return items.find((i) => i.name === name) ?? items.find((i) => i.name.toLowerCase() === lower || i.description?.toLowerCase() === lower);
  }

  nameOf(id: unknown): string | undefined {
    return typeof id === 'string' ? this.byId.get(id)?.name : undefined;
  }

  /** Resolve a name or record a located "did you mean" error; returns the item when found. */
  resolve(table: LookupTable, name: string, at: SourceLocation | undefined, diagnostics: Diagnostic[]): LookupItem | undefined {
    const item = this.find(table, name);
    if (!item) {
      const names = this.tables[table].map((i) => i.name);
      diagnostics.push(error(`unknown ${LABELS[table]} "${name}"`, at, didYouMean(name, names) ?? `known: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`));
    }
    return item;
  }
}
