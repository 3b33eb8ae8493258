import { error } from '../core/diagnostics.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import type { FastRead } from './fast-read.js';
import { interpolate, isCredentialVariable } from './interpolate.js';
import type { maskVariables, ParsedFile, Path } from './parse.js';

/**
 * The fast path of reading a config file (see parseConfigFile): the data js-yaml's events gave,
 * located by their offsets and interpolated on the data, exactly as the Document path does.
 */
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * A file read by `fastRead`: paths are located from its offsets; the rare question they cannot
 * answer (an empty value's position, the source text a type error quotes) is put to a `yaml`
 * Document of the same text, parsed only then.
 */
export function fastParsed(file: string, text: string, fast: FastRead, document: () => ParsedFile | undefined): { parsed: ParsedFile; offsetOf: (path: Path, atKey: boolean) => number } {
  let lines: Int32Array | undefined;
  // Objects are located in file order, mostly on the line of the one before or the next.
  let hint = 0;
  const where = (offset: number): SourceLocation => {
    lines ??= lineStarts(text);
    // The last line start at or before `offset` (as yaml's LineCounter counts them).
    let low = 0;
    let high = lines.length - 1;
    for (let near = hint; near <= hint + 1 && near < high; near++) {
      if (lines[near] <= offset && offset < lines[near + 1]) low = high = near;
    }
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lines[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    hint = low;
    return { file, line: low + 1, column: offset - lines[low] + 1 };
  };
  let slow: ParsedFile | undefined | null;
  const viaDocument = () => (slow === undefined ? (slow = document() ?? null) : slow);
  const { at, offsets } = fast;
  const offsetOf = (path: Path, atKey: boolean): number => {
    let node: unknown = fast.data;
    let offset = fast.root;
    let keyOffset = -2;
    for (const segment of path) {
      if (!isObject(node)) break;
      const base = at.get(node)!;
      if (Array.isArray(node)) {
        if (typeof segment !== 'number' || segment >= node.length) break;
        keyOffset = -2;
        offset = offsets[base + segment];
        node = node[segment] as unknown;
      } else {
        const wanted = String(segment);
        let i = 0;
        let found = false;
        for (const key in node) {
          if (key === wanted) {
            found = true;
            break;
          }
          i++;
        }
        if (!found) break;
        keyOffset = offsets[base + 2 * i];
        offset = offsets[base + 2 * i + 1];
        node = (node as Record<string, unknown>)[wanted];
      }
    }
    return atKey && keyOffset !== -2 ? keyOffset : offset;
  };
  const parsed: ParsedFile = {
    file,
    data: fast.data,
    locate: (path, atKey = false) => {
      const offset = offsetOf(path, atKey);
      return offset >= 0 ? where(offset) : (viaDocument()?.locate(path, atKey) ?? where(0));
    },
    sourceText: (path) => viaDocument()?.sourceText(path),
    defaulted: [],
  };
  return { parsed, offsetOf };
}

/**
 * What the Document path does to its nodes, done to the data read cheaply: placeholders back to
 * their `${…}`, the `variables:` allow-list checked, and every `${…}` of a value interpolated (in
 * place, located at its value). Undefined when that cannot be done the same way here (a key that
 * holds a reference; a document that is not a mapping): the Document API reads the file.
 */
export function interpolateData(
  parsed: ParsedFile,
  offsetOf: (path: Path, atKey: boolean) => number,
  text: string,
  variables: ReturnType<typeof maskVariables>,
  env: Record<string, string | undefined>,
): Diagnostic[] | undefined {
  const root = parsed.data;
  const references = text.includes('${') || text.includes('\\');
  if (!references && !(isObject(root) && 'variables' in root)) return [];
  if (!isObject(root) || Array.isArray(root)) return undefined;
  const containers: object[] = [root];
  if (variables.masking) {
    for (let node = containers.pop(); node; node = containers.pop()) {
      const record = node as Record<string, unknown>;
      for (const key in record) {
        if (key.includes('\uE101')) return undefined;
        const value = record[key];
        if (typeof value === 'string') record[key] = variables.restore(value);
        else if (isObject(value)) containers.push(value);
      }
    }
  }
  const diagnostics: Diagnostic[] = [];
  const list = (root as Record<string, unknown>).variables;
  const allowed = new Set<string>();
  if (Array.isArray(list)) {
    list.forEach((item, i) => {
      if (typeof item !== 'string') return;
      if (isCredentialVariable(item)) diagnostics.push(error(`${item} holds a credential: downline never interpolates it`, parsed.locate(['variables', i]), 'remove it from variables:'));
      else allowed.add(item);
    });
  }
  if (!references) return diagnostics;
  const defaulted = parsed.defaulted;
  // One mutable path, copied only for a defaulted scalar, as on the Document path.
  const path: Array<string | number> = [];
  const visit = (record: Record<string, unknown>, key: string | number): void => {
    const value = record[key];
    if (isObject(value)) {
      for (const inner in value) {
        path.push(Array.isArray(value) ? Number(inner) : inner);
        visit(value as Record<string, unknown>, Array.isArray(value) ? Number(inner) : inner);
        path.pop();
      }
    } else if (typeof value === 'string' && value.includes('${')) {
      const result = interpolate(value, env, allowed);
      if (!result.ok) {
        diagnostics.push(error(result.message, parsed.locate(path), result.hint));
        return;
      }
      if (result.defaulted.length > 0) defaulted.push({ path: [...path], variables: result.defaulted, source: parsed.locate(path) });
      // Only a plain scalar takes the type of its value (not a quoted or block one).
      const plain = !'"\'|>'.includes(text.charAt(offsetOf(path, false)));
      record[key] = result.wholeValue && plain ? retype(result.value) : result.value;
    }
  };
  for (const key in root) {
    if (key === 'variables') continue;
    path.push(key);
    visit(root as Record<string, unknown>, key);
    path.pop();
  }
  return diagnostics;
}

/** Offsets at which lines begin: 0 and after every line feed. */
function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  return starts;
}

/** A plain scalar that was only a variable takes the YAML type of its value (55 → number). */
export function retype(value: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(value) && !/^0\d/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
