import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import { error } from '../core/diagnostics.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import { fastRead } from './fast-read.js';
import { fastParsed, interpolateData, retype } from './parse-fast.js';
import { interpolate, isCredentialVariable } from './interpolate.js';

export type Path = ReadonlyArray<string | number>;

/** A parsed, interpolated config file that can map any data path back to `file:line:col`. */
export interface ParsedFile {
  file: string;
  data: unknown;
  /** Location of the value at `path`; with `atKey`, of the key that names it (for unknown keys). */
  locate(path: Path, atKey?: boolean): SourceLocation;
  /** The value at `path` as written in the file (before interpolation and typing): for hints. */
  sourceText(path: Path): string | undefined;
  /** What to call the value at `path` in a message, when not its config key (a roster's column). */
  label?(path: Path): string | undefined;
  /** Scalars whose value came from a `${env:NAME:-default}` default: the variable was unset or empty. */
  defaulted: Array<{ path: Path; variables: string[]; source: SourceLocation }>;
}

// A config is a few MB even for 10,000 producers; anything far larger is a mistake or an attack,
// and parsing it would only burn memory before failing.
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export function parseConfigFile(
  file: string,
  text: string,
  env: Record<string, string | undefined>,
): { parsed?: ParsedFile; diagnostics: Diagnostic[] } {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    return { diagnostics: [error(`file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, { file, line: 1, column: 1 }, 'split the config into several files in a directory')] };
  }
  if (text.includes('\u0000')) {
    return { diagnostics: [error('file is binary, not YAML', { file, line: 1, column: 1 }, 'point downline at .yaml files only')] };
  }
  // The cheap reader answers when it reads the file exactly as the Document API would; anything it
  // declines is read with the Document API.
  const variables = maskVariables(text);
  const fast = fastRead(variables.masked);
  if (fast) {
    const { parsed, offsetOf } = fastParsed(file, text, fast, () => parseWithDocument(file, text, env).parsed);
    const diagnostics = interpolateData(parsed, offsetOf, text, variables, env);
    if (diagnostics) return { parsed, diagnostics };
  }
  return parseWithDocument(file, text, env);
}

/** The Document API's reading: any file, interpolated; its positions from the Document's nodes. */
export function parseWithDocument(file: string, text: string, env: Record<string, string | undefined>): { parsed?: ParsedFile; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const where = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const variables = maskVariables(text);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(variables.masked, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (cause) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack.
    return { diagnostics: [error(`cannot parse YAML: ${(cause as Error).message}`, { file, line: 1, column: 1 })] };
  }
  const diagnostics: Diagnostic[] = doc.errors.map((e) => (e.code === 'MULTIPLE_DOCS'
    ? error('the file holds several YAML documents (a --- line starts another)', where(e.pos[0]), 'keep one document per file: remove the --- line, or split the documents into files of one directory')
    : error(yamlMessage(e.message), where(e.pos[0]), 'fix the YAML syntax')));
  if (diagnostics.length > 0) return { diagnostics };

  // Both walks visit every node: a file without any `${` (most large books) skips them. (A backslash
  // may be an escape that spells `${` in a double-quoted scalar, so such a file is walked.)
  if (variables.masking) visit(doc, { Scalar: (_key, node) => void (typeof node.value === 'string' && (node.value = variables.restore(node.value))) });
  const defaulted: ParsedFile['defaulted'] = [];
  diagnostics.push(...interpolateDocument(doc, env, where, defaulted, text.includes('${') || text.includes('\\')));

  let data: unknown;
  try {
    // maxAliasCount bounds alias expansion (the "billion laughs" document).
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    return { diagnostics: [...diagnostics, error(`cannot load YAML: ${(cause as Error).message}`, { file, line: 1, column: 1 }, 'remove excessive aliases')] };
  }

  const nodeAt = (path: Path, atKey = false): Node | undefined => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        keyNode = undefined;
        node = node.items[segment];
      } else break;
    }
    return (atKey && keyNode ? keyNode : node) as Node | undefined;
  };
  const locate = (path: Path, atKey = false): SourceLocation => where(nodeAt(path, atKey)?.range?.[0] ?? 0);
  const sourceText = (path: Path): string | undefined => {
    const range = nodeAt(path)?.range;
    return range ? text.slice(range[0], range[1]) : undefined;
  };
  return { parsed: { file, data, locate, sourceText, defaulted }, diagnostics };
}

/**
 * `${env:X}` is not YAML: in a flow mapping (`{ firstYearValue: ${env:FYV} }`) its braces are flow
 * indicators and the document does not parse. Each reference is swapped, before parsing, for a
 * placeholder of exactly its length (so every line:col stays true) made of private-use characters,
 * which YAML reads as plain text in any context; after parsing the placeholders are swapped back
 * and interpolated like any other reference. References spanning lines are left alone.
 */
export function maskVariables(text: string): { masked: string; masking: boolean; restore: (value: string) => string } {
  const originals = new Map<string, string>();
  const masked = text.replace(/\$\{[^}\r\n]*\}/g, (reference) => {
    const p = placeholder(originals.size, reference.length);
    if (!p) return reference;
    originals.set(p, reference);
    return p;
  });
  if (originals.size === 0) return { masked, masking: false, restore: (value) => value };
  return { masked, masking: true, restore: (value) => value.replace(/\uE101\uE100*[\uE000-\uE0FF]+/g, (p) => originals.get(p) ?? p) };
}

/** U+E101, then `index` in base 256 on U+E000–U+E0FF, padded with U+E100 to `length`; undefined if too long. */
function placeholder(index: number, length: number): string | undefined {
  let digits = '';
  for (let n = index; digits === '' || n > 0; n = Math.floor(n / 256)) digits = String.fromCharCode(0xe000 + (n % 256)) + digits;
  return digits.length < length ? `\uE101${digits.padStart(length - 1, '\uE100')}` : undefined;
}

function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Replace `${env:…}` (and `$${`) in every scalar, in place, reporting unset or unlisted variables at their scalar. */
function interpolateDocument(
  doc: Document.Parsed,
  env: Record<string, string | undefined>,
  where: (offset: number) => SourceLocation,
  defaulted: ParsedFile['defaulted'],
  references: boolean,
): Diagnostic[] {
  const { allowed, diagnostics, listNode } = declaredVariables(doc, where);
  if (!references) return diagnostics;
  // One mutable path, copied only for a defaulted scalar: big configs have millions of nodes.
  const path: Array<string | number> = [];
  const visit = (node: unknown): void => {
    if (node === listNode) return;
    if (isMap(node) || isSeq(node)) {
      node.items.forEach((item, i) => {
        path.push(isPair(item) ? String(isScalar(item.key) ? item.key.value : item.key) : i);
        visit(isPair(item) ? item.value : item);
        path.pop();
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const result = interpolate(node.value, env, allowed);
      if (!result.ok) {
        diagnostics.push(error(result.message, where(node.range?.[0] ?? 0), result.hint));
        return;
      }
      if (result.defaulted.length > 0) defaulted.push({ path: [...path], variables: result.defaulted, source: where(node.range?.[0] ?? 0) });
      node.value = result.wholeValue && node.type === Scalar.PLAIN ? retype(result.value) : result.value;
    }
  };
  visit(doc.contents);
  return diagnostics;
}

/** The file's `variables:` allow-list (its shape is the schema's to check); credentials are refused here. */
function declaredVariables(doc: Document.Parsed, where: (offset: number) => SourceLocation): { allowed: Set<string>; diagnostics: Diagnostic[]; listNode: unknown } {
  const listNode = isMap(doc.contents) ? doc.contents.get('variables', true) : undefined;
  const allowed = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const item of isSeq(listNode) ? listNode.items : []) {
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    if (isCredentialVariable(item.value)) diagnostics.push(error(`${item.value} holds a credential: downline never interpolates it`, where(item.range?.[0] ?? 0), 'remove it from variables:'));
    else allowed.add(item.value);
  }
  return { allowed, diagnostics, listNode };
}

