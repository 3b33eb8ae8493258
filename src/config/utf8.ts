/**
 * Config files and CSV rosters are UTF-8. Decoded leniently, a file saved in a code page (Windows-1252,
 * Latin-1) turns each accent into U+FFFD and the garbled name reaches the API; decoded strictly, the
 * first byte that is not UTF-8 is reported where an editor shows it.
 */
// The byte-order mark stays in the text, as a lenient read keeps it (the YAML and CSV readers handle it).
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type Decoded = { text: string } | { notUtf8At: { line: number; column: number } };

export function decodeUtf8(bytes: Buffer): Decoded {
  try {
    return { text: STRICT.decode(bytes) };
  } catch {
    // Line breaks are ASCII, so the lenient decoding keeps lines: its first U+FFFD is the first bad byte.
    const lenient = bytes.toString('utf8');
    const lines = lenient.slice(0, lenient.indexOf('\uFFFD')).split(/\r\n|\r|\n/);
    return { notUtf8At: { line: lines.length, column: lines[lines.length - 1].length + 1 } };
  }
}
