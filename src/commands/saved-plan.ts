import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LoadedConfig } from '../config/load.js';
import { kindOrder } from '../render/labels.js';
import { PLAN_FORMAT_VERSION, type PlanDocument, type PlanMeta } from '../render/plan-json.js';
import { VERSION } from '../version.js';
import { UserError } from './io.js';

/** What a saved plan records about how it was made, so `apply --plan FILE` can make it again. */
export function planMeta(config: LoadedConfig, env: string, how: { target?: string[]; since?: string; pushUnverified?: boolean; asOf?: string; onlyDue?: boolean }): PlanMeta {
  return {
    toolVersion: VERSION, env, configDigest: config.digest, configPaths: config.paths, targets: how.target ?? [],
    ...(how.since !== undefined ? { since: how.since } : {}), ...(how.pushUnverified ? { pushUnverified: true } : {}),
    ...(how.asOf !== undefined ? { asOf: how.asOf } : {}), ...(how.onlyDue ? { onlyDue: true } : {}),
  };
}

/**
 * The part of a saved plan `apply --plan` and `show` read. Operations are deliberately not described:
 * they are never executed from the file (apply re-derives them), only compared and shown.
 */
const SAVED_PLAN_SCHEMA = {
  type: 'object',
  required: ['formatVersion', 'tool', 'env', 'configDigest', 'configPaths', 'targets', 'changes', 'unmanaged', 'uncomparable', 'diagnostics'],
  properties: {
    formatVersion: { const: PLAN_FORMAT_VERSION },
    tool: { const: 'downline' },
    env: { enum: ['local', 'sandbox', 'production'] },
    configDigest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    configPaths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    targets: { type: 'array', items: { type: 'string' } },
    since: { type: 'string' },
    pushUnverified: { type: 'boolean' },
    asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    onlyDue: { type: 'boolean' },
    scheduled: { type: 'array', items: { type: 'object', required: ['date', 'address', 'action'], properties: { date: { type: 'string' }, action: { enum: ['create', 'update', 'terminate'] } } } },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['address', 'identity', 'action', 'fields', 'notes'],
        properties: {
          address: { type: 'object', required: ['kind', 'key'], properties: { kind: { enum: kindOrder() }, key: { type: 'string' } } },
          identity: { type: 'object', additionalProperties: { type: 'string' } },
          action: { enum: ['create', 'update', 'delete', 'terminate', 'noop'] },
          fields: { type: 'array', items: { type: 'object', required: ['field'], properties: { field: { type: 'string' } } } },
          notes: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    unmanaged: { type: 'array', items: { type: 'object', required: ['address'], properties: { address: { type: 'object', required: ['kind', 'key'], properties: { kind: { enum: kindOrder() }, key: { type: 'string' } } } } } },
    uncomparable: { type: 'array', items: { type: 'object', required: ['kind', 'field'], properties: { kind: { type: 'string' }, field: { type: 'string' } } } },
    diagnostics: { type: 'array', items: { type: 'object', required: ['severity', 'message'], properties: { severity: { enum: ['error', 'warning'] }, message: { type: 'string' } } } },
  },
} as const;

// Compiled when a saved plan is first read (apply, show), not when `plan` only writes one.
let compiled: ReturnType<Ajv2020['compile']> | undefined;
const validator = () => (compiled ??= new Ajv2020({ allErrors: false, strict: false }).compile(SAVED_PLAN_SCHEMA));

/** Read and shape-check a saved plan; anything else is a one-line error naming the file and the place. */
export async function readSavedPlan(file: string, absolute: string): Promise<PlanDocument> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    throw new UserError(`cannot read saved plan ${file}: ${(cause as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    // JSON.parse names an offset ("at position N"), or none at the end of the input.
    const lines = text.slice(0, Number(/position (\d+)/.exec((cause as Error).message)?.[1] ?? text.length)).split('\n');
    throw new UserError(`${file}:${lines.length}:${lines[lines.length - 1].length + 1}: not a saved plan: the file is not JSON (make it with downline plan --out ${file})`);
  }
  const validate = validator();
  if (!validate(doc)) {
    const e = validate.errors![0];
    throw new UserError(`${file} is not a downline saved plan (formatVersion ${PLAN_FORMAT_VERSION}): ${e.instancePath || '/'} ${e.message} (make it with downline plan --out ${file})`);
  }
  return doc as PlanDocument;
}
