import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ALL_DIVISIONS } from '../core/desired.js';
import type { Diagnostic, Value } from '../core/types.js';

/**
 * `plan --drift --adopt` (SPEC §14): write live values into the config text instead of reverting
 * them. The yaml Document API finds the nodes (and their exact ranges); the new values are spliced
 * into the original text at those ranges, so every untouched byte — comments, key order, quoting,
 * flow-style spacing — stays as written (re-serialising the whole document would not keep them).
 */

/** Live values for the declared object whose config entry starts at line:column. */
export interface AdoptEdit {
  line: number;
  column: number;
  /** Config key → the live value to write (name-space, as the plan shows it). */
  values: Record<string, Value>;
  /** How diagnostics name the object. */
  label: string;
}

interface Splice { start: number; end: number; text: string }

export interface AdoptResult { text: string; adopted: number; problems: Diagnostic[] }

/** The config key of a field, where the entry spells it differently (invitation contracts say uplineNpn). */
const keyIn = (map: YAMLMap, field: string): string => (field === 'upline' && map.has('uplineNpn') && !map.has('upline') ? 'uplineNpn' : field);

export function adoptInText(file: string, text: string, edits: readonly AdoptEdit[]): AdoptResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const problems: Diagnostic[] = [];
  const problem = (message: string, at: { line: number; column: number }, hint?: string) =>
    problems.push({ severity: 'warning', message, ...(hint ? { hint } : {}), source: { file, line: at.line, column: at.column } });
  if (doc.errors.length > 0) return { text, adopted: 0, problems: [{ severity: 'error', message: 'cannot adopt into a file with YAML errors', source: { file, line: 1, column: 1 } }] };

  // Every node by where it starts, with its ancestors (for an NPN of an `npns:` list: the entry).
  const byOffset = new Map<number, { node: Node; path: readonly unknown[] }>();
  visit(doc, { Node: (_key, node, path) => {
    if (node.range && !byOffset.has(node.range[0])) byOffset.set(node.range[0], { node, path: [...path] });
  } });
  const offsetOf = (line: number, column: number) => (lineCounter.lineStarts[line - 1] ?? 0) + column - 1;

  const splices: Splice[] = [];
  let adopted = 0;
  const setValues = (map: YAMLMap, values: Record<string, Value>, at: AdoptEdit) => {
    for (const [field, value] of Object.entries(values)) {
      const key = keyIn(map, field);
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<Scalar, Node> | undefined;
      if (!pair) {
        // Not written: absent live too is already what the entry says; otherwise the key is added.
        const added = value === null ? [] : addPair(text, map, key, value);
        if (added) {
          splices.push(...added);
          adopted += 1;
        } else problem(`${at.label}: ${field} is not written in this entry; not adopted`, at, `add ${key}: ${valueText(value)} by hand`);
        continue;
      }
      if (!pair.value?.range || !pair.key.range) {
        problem(`${at.label}: ${field} is not written in this entry; not adopted`, at);
        continue;
      }
      if (value === null) {
        // Live has none (an upline: the top position): the config says so by leaving the key out.
        const removed = removePair(text, map, pair);
        if (removed) {
          splices.push(removed);
          adopted += 1;
        } else problem(`${at.label}: ${field} is gone live; not adopted here`, at, `delete ${key} from this entry by hand`);
        continue;
      }
      const old = text.slice(pair.value.range[0], pair.value.range[1]);
      if (old.includes('${')) {
        problem(`${at.label}: ${field} comes from a variable (${old.trim()}); not adopted`, at, 'change the variable, or write the value');
        continue;
      }
      if (isSeq(pair.value) && !pair.value.flow) {
        // A block list becomes a flow list on the key's line: only the drifted value's lines change.
        splices.push({ start: pair.key.range[1], end: pair.value.range[1], text: `: ${valueText(value)}\n` });
      } else {
        splices.push({ start: pair.value.range[0], end: pair.value.range[1], text: valueText(value, isScalar(pair.value) ? pair.value.type : undefined) });
      }
      adopted += 1;
    }
  };

  // Producers of one `npns:` entry whose contract drifted, by entry.
  const groups = new Map<YAMLMap, Array<{ item: Scalar; values: Record<string, Value>; edit: AdoptEdit }>>();
  for (const edit of edits) {
    const found = byOffset.get(offsetOf(edit.line, edit.column));
    if (found && isMap(found.node)) {
      setValues(found.node, edit.values, edit);
      continue;
    }
    const [entry, npnsPair, seq] = found ? (found.path.slice(-3) as [unknown, unknown, unknown]) : [];
    if (found && isScalar(found.node) && isMap(entry) && isPair(npnsPair) && isScalar(npnsPair.key) && npnsPair.key.value === 'npns' && isSeq(seq)) {
      groups.set(entry, [...(groups.get(entry) ?? []), { item: found.node, values: edit.values, edit }]);
      continue;
    }
    problem(`${edit.label}: its config entry was not found at this place; not adopted`, edit);
  }

  for (const [entry, drifted] of groups) {
    const npns = entry.get('npns', true) as unknown as YAMLSeq<Scalar>;
    // Producers with the same live values move together; when the drift covers the whole list, the
    // largest such group stays in the entry (edited in place) so the entry never empties.
    const byValues = new Map<string, typeof drifted>();
    for (const d of drifted) byValues.set(JSON.stringify(d.values), [...(byValues.get(JSON.stringify(d.values)) ?? []), d]);
    const ordered = [...byValues.values()].sort((a, b) => b.length - a.length);
    const stays = drifted.length === npns.items.length ? ordered.shift() : undefined;
    if (stays) setValues(entry, stays[0].values, stays[0].edit);
    if (ordered.length === 0) continue;
    if (!entry.range || entry.flow) {
      for (const group of ordered) problem(`${group[0].edit.label}: cannot split a producer out of a flow-style entry; not adopted`, group[0].edit);
      continue;
    }
    const moved = new Set(ordered.flat().map((d) => d.item));
    splices.push(...removeItems(text, npns, moved));
    const indent = columnOf(text, entry.range[0]);
    const at = lineEnd(text, entry.range[1] - 1);
    for (const group of ordered) {
      splices.push({ start: at, end: at, text: newEntry(text, entry, group.map((d) => String(d.item.value)), group[0].values, indent) });
      adopted += group.length * Object.keys(group[0].values).length;
    }
  }

  splices.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (let i = 0; i < splices.length; i++) {
    const s = splices[i];
    if (i > 0 && s.end > splices[i - 1].start && s.start !== s.end) {
      problems.push({ severity: 'error', message: 'adopt: two edits overlap; nothing written to this file', source: { file, line: 1, column: 1 } });
      return { text, adopted: 0, problems };
    }
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  }
  const check = parseDocument(out);
  if (check.errors.length > 0) {
    problems.push({ severity: 'error', message: `adopt produced invalid YAML (${check.errors[0].message.split('\n')[0]}); nothing written to this file`, source: { file, line: 1, column: 1 } });
    return { text, adopted: 0, problems };
  }
  return { text: out, adopted, problems };
}

/** A `key: value` added at the end of an entry: a line at the keys' indentation, or `, key: value` before a flow map's `}`. */
function addPair(text: string, map: YAMLMap, key: string, value: Value): Splice[] | undefined {
  const last = map.items[map.items.length - 1] as Pair<Scalar, Node> | undefined;
  const end = last?.value?.range?.[1] ?? last?.key?.range?.[1];
  if (!last?.key?.range || end === undefined) return undefined;
  if (map.flow) return [{ start: end, end, text: `, ${key}: ${valueText(value)}` }];
  const at = lineEnd(text, end - 1);
  return [{ start: at, end: at, text: `${' '.repeat(columnOf(text, last.key.range[0]))}${key}: ${valueText(value)}\n` }];
}

/** A pair taken out of an entry: its lines in a block map, its `, key: value` in a flow map. */
function removePair(text: string, map: YAMLMap, pair: Pair<Scalar, Node>): Splice | undefined {
  const i = map.items.indexOf(pair);
  const valueEnd = pair.value!.range![1];
  if (map.flow) {
    const prev = map.items[i - 1] as Pair<Scalar, Node> | undefined;
    const next = map.items[i + 1] as Pair<Scalar, Node> | undefined;
    if (prev?.value?.range) return { start: prev.value.range[1], end: valueEnd, text: '' };
    return next?.key?.range ? { start: pair.key.range![0], end: next.key.range[0], text: '' } : undefined;
  }
  const start = text.lastIndexOf('\n', pair.key.range![0] - 1) + 1;
  // The first key of a list item shares its line with the `- `: leave that to a person.
  if (text.slice(start, pair.key.range![0]).trim() !== '') return undefined;
  return { start, end: lineEnd(text, valueEnd - 1), text: '' };
}

/** Remove NPNs from an `npns:` list: their `, "x"` in a flow list, their `- "x"` line in a block list. */
function removeItems(text: string, seq: YAMLSeq<Scalar>, moved: Set<Scalar>): Splice[] {
  const items = seq.items;
  const splices: Splice[] = [];
  items.forEach((item, i) => {
    if (!moved.has(item) || !item.range) return;
    if (!seq.flow) {
      const start = text.lastIndexOf('\n', item.range[0] - 1) + 1;
      splices.push({ start, end: lineEnd(text, item.range[0]), text: '' });
      return;
    }
    const next = items.slice(i + 1).find((x) => !moved.has(x));
    const prev = items.slice(0, i).reverse().find((x) => !moved.has(x));
    // Up to the next kept item (its separator goes with this one), or from the previous kept one.
    if (next?.range) splices.push({ start: item.range[0], end: next.range[0], text: '' });
    else if (prev?.range) splices.push({ start: prev.range[1], end: item.range[1], text: '' });
  });
  // Neighbouring removals in a flow list can overlap: merge them.
  splices.sort((a, b) => a.start - b.start);
  const merged: Splice[] = [];
  for (const s of splices) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** A new assignment entry for producers split out of `entry`: their NPN(s), the entry's other keys as written, the live values. */
function newEntry(text: string, entry: YAMLMap, npns: string[], values: Record<string, Value>, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines = [npns.length === 1 ? `npn: ${JSON.stringify(npns[0])}` : `npns: [${npns.map((n) => JSON.stringify(n)).join(', ')}]`];
  const live = Object.fromEntries(Object.entries(values).map(([field, value]) => [keyIn(entry, field), value]));
  for (const pair of entry.items as Array<Pair<Scalar, Node>>) {
    const key = String(pair.key.value);
    if (key === 'npns' || !pair.value?.range || live[key] === null) continue;
    const original = text.slice(pair.value.range[0], pair.value.range[1]).trimEnd();
    const value = key in live ? valueText(live[key], isScalar(pair.value) ? pair.value.type : undefined)
      : original.includes('\n') ? valueText(pair.value.toJSON() as Value) : original;
    lines.push(`${text.slice(pair.key.range![0], pair.key.range![1])}: ${value}`);
  }
  for (const [key, value] of Object.entries(live)) if (value !== null && !entry.has(key)) lines.push(`${key}: ${valueText(value)}`);
  return `${' '.repeat(Math.max(0, indent - 2))}- ${lines.join(`\n${pad}`)}\n`;
}

/** A value as config text: lists in flow style, every state as `all`, strings quoted when plain would misread. */
export function valueText(value: Value, quoting?: Scalar['type']): string {
  if (Array.isArray(value)) {
    const codes = value.map(String);
    if (codes.length === ALL_DIVISIONS.length && ALL_DIVISIONS.every((c) => codes.includes(c))) return 'all';
    return `[${value.map((v) => valueText(v)).join(', ')}]`;
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  if (quoting === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (quoting === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  const plain = /^[^\s,[\]{}#&*!|>'"%@`:?-][^,[\]{}#]*$/.test(value) && !/: |\s$/.test(value) && parseDocument(`[${value}]`).toJS()?.[0] === value;
  return plain ? value : JSON.stringify(value);
}

const columnOf = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}
