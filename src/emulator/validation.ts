import { fail } from './http.js';
import { STATE_CODES } from './lookups.js';

/** Collects every 400 message for one body, worded like the API's own ("naic must have a max of 6 characters."). */
export class Checks {
  readonly messages: string[] = [];

  required(field: string, value: unknown): this {
    if (value === undefined || value === null || value === '') this.messages.push(`${field} must not be blank.`);
    return this;
  }

  string(field: string, value: unknown, max?: number): this {
    if (value === undefined || value === null) return this;
    if (typeof value !== 'string') this.messages.push(`${field} must be a string.`);
    else if (max !== undefined && value.length > max) this.messages.push(`${field} must have a max of ${max} characters.`);
    return this;
  }

  amount(field: string, value: unknown): this {
    if (value === undefined || value === null) return this;
    if (typeof value !== 'number' || Number.isNaN(value)) this.messages.push(`${field} must be a number.`);
    else if (value > 99999.99) this.messages.push(`${field} must be less than or equal to 99999.99.`);
    else if (value < 0) this.messages.push(`${field} must be greater than or equal to 0.`);
    return this;
  }

  boolean(field: string, value: unknown): this {
    if (value !== undefined && value !== null && typeof value !== 'boolean') this.messages.push(`${field} must be a boolean.`);
    return this;
  }

  divisions(field: string, value: unknown): this {
    if (value === undefined || value === null) return this;
    if (!Array.isArray(value)) this.messages.push(`${field} must be an array.`);
    else for (const code of value) if (typeof code !== 'string' || !STATE_CODES.has(code)) this.messages.push(`${field} contains an invalid state code: ${String(code)}.`);
    return this;
  }

  ids(field: string, value: unknown): this {
    if (value === undefined || value === null) return this;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) this.messages.push(`${field} must be an array of ids.`);
    return this;
  }

  userDefined(body: Record<string, unknown>): this {
    for (let i = 1; i <= 10; i++) this.string(`userDefined${i}`, body[`userDefined${i}`], 255);
    return this;
  }

  oneOf(field: string, value: unknown, allowed: string[]): this {
    if (value !== undefined && !allowed.includes(value as string)) this.messages.push(`${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}.`);
    return this;
  }

  /** Answer 400 with every message collected. */
  done(): void {
    if (this.messages.length > 0) fail(400, ...this.messages);
  }
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail(400, 'Request body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function pick(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (body[f] !== undefined) out[f] = body[f];
  return out;
}

export const USER_DEFINED_FIELDS = Array.from({ length: 10 }, (_, i) => `userDefined${i + 1}`);
