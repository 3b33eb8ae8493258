import jsyaml from 'js-yaml';
import { Document, isScalar, type ScalarTag } from 'yaml';

/**
 * The read path of large configs. The `yaml` Document API costs ~0.6 µs and ~60 bytes per byte of
 * YAML (a 20 MB book: 12 s and 1.5 GB, most of it its CST), so a file is first read by js-yaml,
 * whose documented `listener` reports every node as it is composed; from those events we keep, per
 * mapping and list, the offset of each key and value (one number each) and nothing else.
 *
 * The result must be exactly what `yaml` would have made of the file, so this reader answers only
 * for documents whose every construct means the same to both, and returns undefined (the caller
 * reads the file with `yaml`, for its data and its messages) on anything else:
 * - anything js-yaml rejects or warns about (syntax, duplicate keys, tabs, multiple documents);
 * - anchors, aliases, tags and directives (`yaml` bounds alias expansion, knows `%YAML 1.1`);
 * - a mapping key that is not a string, an empty list entry (`- `), keys that JavaScript orders
 *   otherwise (`"2"` after `b`) — any structure the events do not place exactly (an empty value,
 *   `key:`, is kept at offset -1: the caller asks `yaml` where it is);
 * - a `#` not preceded by white space (`yaml` rejects `"a"#b`; js-yaml reads a comment), a
 *   byte-order mark or a lone carriage return (offsets and line numbers would differ);
 * - an empty document (js-yaml says undefined, `yaml` null).
 * Plain scalars are typed by `yaml`'s own YAML 1.2 core tags (so `010`, `yes`, `0x1F`, `1_000`,
 * `.inf` read the same), never by js-yaml's.
 */

/** Where each key and value of every mapping and list starts; line:col is worked out only for what is asked. */
export interface FastRead {
  data: unknown;
  /** Offset of the root node; -1 (as for any empty node) when the events cannot place it. */
  root: number;
  /** For each mapping: [key₀, value₀, key₁, value₁, …] offsets from its `at`; for each list: [item₀, item₁, …]. */
  at: Map<object, number>;
  offsets: Int32Array;
}

let schema: jsyaml.Schema | undefined;

/**
 * js-yaml's failsafe schema (strings, lists, mappings) and one implicit type that types a plain
 * scalar as `yaml` does: the first of its core tags whose test matches (js-yaml keeps one type per
 * tag name, and `yaml` has three for int and three for float).
 */
function coreSchema(): jsyaml.Schema {
  if (!schema) {
    const tags = (new Document().schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test);
    const onError = (message: string) => {
      throw new Error(message);
    };
    const tagOf = (text: string) => tags.find((tag) => tag.test!.test(text));
    schema = jsyaml.FAILSAFE_SCHEMA.extend({
      implicit: [new jsyaml.Type('tag:yaml.org,2002:core', {
        kind: 'scalar',
        resolve: (text: string) => tagOf(text) !== undefined,
        construct: (text: string) => {
          const value = tagOf(text)!.resolve(text, onError, {});
          return isScalar(value) ? value.value : value;
        },
      })],
    });
  }
  return schema;
}

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d, HASH = 0x23;

/** First offset from `at` past white space, line breaks and comments: where js-yaml's node begins. */
function contentStart(text: string, at: number): number {
  let i = at;
  for (;;) {
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB || c === LF || c === CR) c = text.charCodeAt(++i);
    if (c !== HASH) return i;
    while (c !== LF && c !== CR && i < text.length) c = text.charCodeAt(++i);
  }
}

class Bail extends Error {}

export function fastRead(text: string): FastRead | undefined {
  // A `#` glued to what precedes it is a comment to js-yaml only.
  if (/[^\s]#/.test(text)) return undefined;
  // A byte-order mark shifts js-yaml's offsets; a lone CR is a line break to js-yaml, not to `yaml`'s line count.
  if (text.charCodeAt(0) === 0xfeff || /\r(?!\n)/.test(text)) return undefined;
  const at = new Map<object, number>();
  // Offsets live outside the JS heap, in one buffer sized for the usual book (a key or value every 8
  // bytes of YAML at most), doubled when a denser file needs more.
  let offsets = new Int32Array(Math.max(1024, text.length >> 3));
  let used = 0;
  const put = (offset: number): void => {
    if (used === offsets.length) {
      const grown = new Int32Array(2 * used);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[used++] = offset;
  };
  // One frame per node being composed: its start, and where its children's [start, result] pairs
  // begin on one shared stack (no array per node: a 10,000-producer book has 200,000 of them).
  const starts: number[] = [];
  const bases: number[] = [];
  const stack: unknown[] = [];
  // The stack's height: entries above it are stale, overwritten by the next pushes (never shrunk).
  let top = 0;
  let root = 0;
  let first = true;
  const listener = (event: 'open' | 'close', state: jsyaml.State): void => {
    if (event === 'open') {
      const s = state as jsyaml.State & { tagMap: object };
      if (first && (state.version !== null || Object.keys(s.tagMap).length > 0)) throw new Bail();
      first = false;
      const start = contentStart(text, state.position);
      const c = text.charCodeAt(start);
      // `!tag`, `&anchor`, `*alias`: `yaml` decides what those mean.
      if (c === 0x21 || c === 0x26 || c === 0x2a) throw new Bail();
      starts.push(start);
      bases.push(top);
      return;
    }
    const start = starts.pop()!;
    const base = bases.pop()!;
    const count = top - base;
    const { kind, result } = state;
    if ((kind === 'mapping' || kind === 'sequence') && !at.has(result as object)) {
      at.set(result as object, used);
      if (kind === 'sequence') {
        if (count !== 2 * (result as unknown[]).length) throw new Bail();
        for (let i = base; i < top; i += 2) put(stack[i] as number);
      } else {
        // [start, key, start, value, …]: keys in order, each a string, as many as the mapping holds.
        let n = 0;
        for (const key in result as object) {
          if (stack[base + 4 * n + 1] !== key) throw new Bail();
          put(stack[base + 4 * n] as number);
          put(stack[base + 4 * n + 2] as number);
          n++;
        }
        if (count !== 4 * n) throw new Bail();
      }
    }
    top = base;
    // An empty node (`key:` with no value) has no start of its own: `yaml` is asked where it is.
    const placed = kind === null ? -1 : start;
    if (bases.length > 0) {
      stack[top++] = placed;
      stack[top++] = result;
    }
    else root = placed;
  };
  try {
    const data = jsyaml.load(text, { schema: coreSchema(), listener, onWarning: () => { throw new Bail(); } });
    return data === undefined ? undefined : { data, root, at, offsets: offsets.subarray(0, used) };
  } catch {
    // Whatever js-yaml cannot read exactly as `yaml` would, `yaml` reads (and words the error).
    return undefined;
  }
}
