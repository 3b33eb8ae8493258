/**
 * The one encoding of an address key: the parts of an object's identity (carrier, product, level,
 * NPN…) joined by separators. A part that holds a separator (`/`, `@`, `#`), a quote, a backslash,
 * a control character or surrounding spaces is written as a JSON string, so every name round-trips
 * and `A/B` + `C` never meets `A` + `B/C`. Plain names stay bare: `Acme/Term Life` reads as before.
 * Plan JSON, `--target`, the id table and every output use this pair and nothing else.
 */

const SEPARATORS = '/@#';
const PLAIN = /^(?!\s)[^"\\/@#\p{Cc}]+(?<!\s)$/u;

/** True when a part can be written bare: no character of the key syntax, no surrounding spaces. */
export const isPlainPart = (part: string): boolean => PLAIN.test(part);

const encodePart = (part: string): string => (isPlainPart(part) ? part : JSON.stringify(part));

/**
 * `separators[i]` joins part i and part i+1 (default `/`): an assignment is `npn@carrier/product`,
 * so its separators are `@/`. A live duplicate adds `#n`.
 */
export function encodeKey(parts: readonly string[], separators = ''): string {
  if (parts.length <= 1) return encodePart(parts[0] ?? '');
  // Joined, not concatenated: one flat string, not a chain of pieces (a plan keeps 100,000s of keys).
  const pieces: string[] = [encodePart(parts[0])];
  for (let i = 1; i < parts.length; i++) pieces.push(separators[i - 1] ?? '/', encodePart(parts[i]));
  return pieces.join('');
}

/**
 * A path of names as every output writes it: `"Acme / Term Life"`; once a name holds a slash (or a
 * quote, backslash or surrounding spaces) each name is quoted on its own — `"A/B" / "C"` — so
 * look-alikes read apart. `suffix` marks a live duplicate (`#2`).
 */
export function quotedPath(parts: readonly string[], suffix = ''): string {
  if (!parts.some((p) => /[/"\\]|^\s|\s$/u.test(p))) return `"${parts.join(' / ')}${suffix}"`;
  return parts.map((p, n) => JSON.stringify(n === parts.length - 1 ? p + suffix : p)).join(' / ');
}

/** The key of the n-th live object with the same identity (a duplicate someone made outside downline). */
export const duplicateKey = (key: string, n: number): string => `${key}#${n}`;

/** The parts of a key (separators dropped), or undefined when it is not one `encodeKey` could write. */
export const decodeKey = (key: string): string[] | undefined => tokens(key)?.parts;

/**
 * The canonical form of a key someone typed (`--target`): the same parts and separators, each part
 * quoted only where it must be, so `"Acme"/"Term"` and `Acme/Term` name one object.
 */
export function canonicalKey(key: string): string {
  const t = tokens(key);
  return t ? encodeKey(t.parts, t.separators) : key;
}

/**
 * The key as someone would type it without quotes: parts and separators, nothing escaped. Only for
 * matching a typed `--target` leniently; two objects may share it (then the target is ambiguous).
 */
export function unquotedKey(key: string): string {
  const t = tokens(key);
  return t ? t.parts.reduce((text, part, i) => text + (i ? t.separators[i - 1] : '') + part, '') : key;
}

function tokens(key: string): { parts: string[]; separators: string } | undefined {
  const parts: string[] = [];
  let separators = '';
  let at = 0;
  for (;;) {
    const read = key[at] === '"' ? quoted(key, at) : bare(key, at);
    if (!read) return undefined;
    parts.push(read.part);
    at = read.end;
    if (at === key.length) return { parts, separators };
    if (!SEPARATORS.includes(key[at])) return undefined;
    separators += key[at++];
  }
}

function quoted(key: string, start: number): { part: string; end: number } | undefined {
  for (let i = start + 1; i < key.length; i++) {
    if (key[i] === '\\') i++;
    else if (key[i] === '"') {
      try {
        return { part: JSON.parse(key.slice(start, i + 1)) as string, end: i + 1 };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function bare(key: string, start: number): { part: string; end: number } | undefined {
  let end = start;
  while (end < key.length && !SEPARATORS.includes(key[end])) end++;
  const part = key.slice(start, end);
  return isPlainPart(part) ? { part, end } : undefined;
}

