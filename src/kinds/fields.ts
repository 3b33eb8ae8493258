import { ALL_DIVISIONS, USER_DEFINED } from '../core/desired.js';
import type { FieldSpec } from '../core/fields.js';
import type { LookupTable } from '../core/lookups.js';
import type { Value } from '../core/types.js';

/** States: compared as a set; exported as `all` when every state is covered, else sorted. */
export const STATES: FieldSpec = {
  name: 'administrativeDivisions',
  compare: 'set',
  export: (value) => {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return undefined;
    if (!Array.isArray(value)) return value;
    return value.length === ALL_DIVISIONS.length && ALL_DIVISIONS.every((d) => value.includes(d)) ? 'all' : [...value].map(String).sort();
  },
};

/** The ten free-form fields carriers, products, levels and contracts pass through as they are. */
export const USER_DEFINED_FIELDS: FieldSpec[] = USER_DEFINED.map((name) => ({ name }));

/** A name in the config, an id of the lookup `table` on the wire (`what` names it in messages). */
export function lookupField(name: string, wire: string, table: LookupTable, what: string): FieldSpec {
  return {
    name, wire,
    read: (id, lookups) => (id === null ? undefined : lookups.nameOf(id) ?? `(unknown id ${String(id)})`),
    write: (value, ctx) => {
      const item = ctx.lookups.resolve(table, String(value), ctx.at, ctx.diagnostics);
      return item ? { view: item.name, wire: item.id } : { view: value };
    },
    export: (id, ctx) => ctx.name(id, what),
  };
}

/** A list of names in the config, of ids of the lookup `table` on the wire; compared as a set. */
export function lookupListField(name: string, table: LookupTable, what: string): FieldSpec {
  return {
    name, compare: 'set',
    read: (ids, lookups) => (Array.isArray(ids) ? ids.map((id) => lookups.nameOf(id) ?? `(unknown id ${String(id)})`).sort() : (ids as Value)),
    write: (value, ctx) => {
      const names = value as string[];
      const items = names.map((n) => ctx.lookups.resolve(table, n, ctx.at, ctx.diagnostics));
      return { view: items.map((item, i) => item?.name ?? names[i]).sort(), wire: items.filter((i) => i !== undefined).map((i) => i!.id) };
    },
    export: (ids, ctx) => {
      const names = Array.isArray(ids) ? ids.map((id) => ctx.name(id, what)).filter((n): n is string => n !== undefined).sort() : undefined;
      return names === undefined || names.length === 0 ? undefined : names;
    },
  };
}
