import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { error } from '../core/diagnostics.js';
import { didYouMean } from '../core/suggest.js';
import type { Diagnostic } from '../core/types.js';
import type { Problem } from './health.js';
import type { ParsedFile, Path } from './parse.js';

const SCHEMA_URL = new URL('../../schemas/downline.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

export function loadSchema(): object {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    // ajv-formats is CommonJS; under NodeNext its callable export sits on `default`.
    const addFormats = (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default ?? addFormatsModule;
    addFormats(ajv);
    compiled = ajv.compile(loadSchema());
  }
  return compiled;
}

// Pattern errors are worded per field: a regex means nothing to the person reading the message.
const PATTERN_MESSAGES: Record<string, string> = {
  npn: 'must be 1 to 15 digits',
  npns: 'must be 1 to 15 digits',
  uplineNpn: 'must be 1 to 15 digits',
  upline: 'must be 1 to 15 digits',
  type: 'must be percent, dollar or number (any case)',
};

const NPN_HINT = 'write the National Producer Number as digits only, e.g. 17100001 (keep leading zeros)';
const PATTERN_HINTS: Record<string, string> = { npn: NPN_HINT, npns: NPN_HINT, uplineNpn: NPN_HINT, upline: NPN_HINT };

/**
 * Validate one parsed file against the JSON Schema: every error becomes a located, worded
 * diagnostic, kept with where it is and which keyword failed (for the checks that follow).
 */
export function checkSchema(file: ParsedFile): Array<Problem & { diagnostic: Diagnostic }> {
  const validate = validator();
  if (validate(file.data)) return [];
  return collapse(validate.errors ?? []).map((e) => ({ path: pathOf(e), keyword: e.keyword, diagnostic: toDiagnostic(e, file) }));
}

function pathOf(e: ErrorObject): Path {
  if (e.instancePath === '') return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * `administrativeDivisions` is `all` or a list: ajv reports a failure per branch. Keep the most
 * specific errors (inside the list) and otherwise one message for the whole choice.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const result: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf') {
      const deeper = errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`));
      if (!deeper) result.push(e);
    } else if (!(anyOfPaths.has(e.instancePath) && e.schemaPath.includes('/anyOf/'))) {
      result.push(e);
    }
  }
  return result;
}

function toDiagnostic(e: ErrorObject, file: ParsedFile): Diagnostic {
  const path = pathOf(e);
  const last = path.length > 0 ? path[path.length - 1] : undefined;
  const field = typeof last === 'number' ? String(path[path.length - 2] ?? '') : String(last ?? 'config');
  const label = file.label?.(path) ?? (typeof last === 'number' ? `${field}[${last}]` : field);
  const at = file.locate(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      return error(`unknown key "${key}"${path.length ? ` in ${label}` : ''}`, file.locate([...path, key], true),
        didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`);
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return error(`missing required key "${key}"${path.length ? ` in ${label}` : ''}`, at, `add ${key}: …`);
    }
    case 'type': {
      const type = String((e.params as { type: string | string[] }).type);
      // JSON Schema says "object" / "array"; a YAML author writes a mapping / a list.
      const want = ({ object: 'mapping', array: 'list', integer: 'whole number' } as Record<string, string>)[type] ?? type;
      // Quote what was written, not the value read: `0017100002` must keep its zeros, `${env:NPN}` its variable.
      const written = file.sourceText(path)?.trim() ?? String(e.data);
      const quote = want === 'string' && typeof e.data !== 'object'
        ? `quote it${written.includes('${') ? ', so the variable stays text' : ''}: "${written}"` : `write a ${want}`;
      return error(`${label} must be a ${want}`, at, quote);
    }
    case 'const':
      return error(`${label} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, at);
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues).map(String);
      const hint = didYouMean(String(e.data), allowed) ?? (allowed.length <= 8 ? `one of: ${allowed.join(', ')}` : undefined);
      const what = e.parentSchema && (e.parentSchema as { description?: string }).description?.startsWith('Two-letter')
        ? 'is not a two-letter US state or territory code'
        : 'is not an allowed value';
      return error(`${label} "${String(e.data)}" ${what}`, at, hint);
    }
    case 'pattern':
      return error(`${label} "${String(e.data)}" ${PATTERN_MESSAGES[field] ?? 'has the wrong format'}`, at, PATTERN_HINTS[field]);
    case 'maxLength':
      return error(`${label} must be at most ${(e.params as { limit: number }).limit} characters (got ${String(e.data).length})`, at);
    case 'minLength':
      return error(`${label} must not be empty`, at);
    case 'maximum':
    case 'minimum': {
      // As written (a number beyond double precision reads as another: 12345678901234567890 → …7000), unless a variable gave it.
      const written = file.sourceText(path)?.trim();
      const got = written && !written.includes('${') ? written : String(e.data);
      return error(`${label} must be ${e.keyword === 'maximum' ? 'at most' : 'at least'} ${(e.params as { limit: number }).limit} (got ${got})`, at);
    }
    case 'minItems':
      return error(`${label} must list at least ${(e.params as { limit: number }).limit} item(s)`, at);
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return error(`${label} lists the same value twice (items ${j + 1} and ${i + 1})`, file.locate([...path, i]), 'remove the duplicate');
    }
    case 'format':
      if ((e.params as { format: string }).format === 'date') {
        // 2027-02-30 has the form but no such day; 1/15/2027 (a spreadsheet's locale) has another form.
        const why = /^\d{4}-\d{2}-\d{2}$/.test(String(e.data)) ? 'is not a real date' : 'is not a date in the form YYYY-MM-DD';
        return error(`${label} "${String(e.data)}" ${why}`, at, 'write YYYY-MM-DD, e.g. 2027-01-01');
      }
      return error(`${label} "${String(e.data)}" is not a valid ${(e.params as { format: string }).format} address`, at);
    case 'anyOf':
      if (field === 'assignments') return error(`prune.assignments must be true, false, delete or terminate`, at, 'terminate ends removed contracts (PUT) instead of deleting them');
      return error(`${label} must be "all" or a list of two-letter state codes`, at, 'e.g. [CA, TX]');
    default:
      return error(`${label} ${e.message ?? 'is invalid'}`, at);
  }
}
