/**
 * Live data is data. Names and messages that come from the account (or the API's answers) are
 * escaped for the output they land in, so none of them can act as a terminal control sequence, a
 * markdown/HTML construct in the pull-request comment, or a GitHub workflow command.
 */

// C0 and C1 controls (newlines included: a name never spans lines), DEL, line/paragraph
// separators, and the bidirectional overrides that make text display in another order.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// The same without LF, for serialised documents whose own line structure must stay.
const UNSAFE_INLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const code = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** For a terminal, a log, or a fenced code block: every control character shown as `\u001b`. */
export function visible(text: string): string {
  return text.replace(UNSAFE, code);
}

/**
 * For markdown prose (lists, quotes — outside code blocks): visible, then HTML-significant
 * characters as entities and markdown punctuation backslash-escaped, so `<!--`, links, emphasis
 * or a table pipe in a name render as the characters they are.
 */
export function markdownText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
}

/**
 * YAML text whose scalars with controls were written double-quoted (export does): controls the
 * serialiser leaves raw become `\u` escapes, which inside double quotes read back the same.
 */
export function yamlText(yaml: string): string {
  return yaml.replace(UNSAFE_INLINE, code);
}

export function hasControls(text: string): boolean {
  return new RegExp(UNSAFE.source).test(text);
}

/** JSON that reaches a terminal: the serialiser escapes C0 controls; this escapes the rest. */
export function jsonText(json: string): string {
  return json.replace(UNSAFE_INLINE, code);
}

/**
 * GitHub workflow commands (`::error file=…::message`), following the runner toolkit: in the
 * message `%`, CR and LF are escaped (so nothing after them starts a new command); properties
 * also escape `:` and `,`. Other controls are made visible first, so the log shows them too.
 */
export function workflowMessage(text: string): string {
  return visible(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function workflowProperty(text: string): string {
  return workflowMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * For a Mermaid label inside `["…"]` (the markdown plan's hierarchy charts): everything but
 * letters, digits, spaces and plain punctuation becomes a `#code;` entity, so a name can close
 * neither the label, the node nor the chart, and carries no HTML or control character.
 */
export function mermaidText(text: string): string {
  return [...text].map((ch) => (/^[\p{L}\p{N} .,_/()'+-]$/u.test(ch) && !/\p{Cf}/u.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join('');
}
