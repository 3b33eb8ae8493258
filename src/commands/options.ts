import { InvalidArgumentError } from 'commander';

/**
 * Commander parsers for numeric options, in one place: a typo must be an error, never a NaN that
 * quietly disables a safety limit.
 */
export function parsePercent(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(n) || n > 100) throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 30 or 30%.');
  return n;
}
