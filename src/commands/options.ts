import { InvalidArgumentError } from 'commander';

/**
 * Strict parsers for numeric options, given to commander (`.option(flags, text, parser, default)`)
 * so every number is parsed once, at the command line. A value that is not a number is an error:
 * `Number('ten')` would be NaN, and every comparison with NaN is false — a safety limit would
 * silently stop guarding.
 */

const WHOLE = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A whole number in [min, max]. */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const text = value.trim();
    const n = Number(text);
    if (!WHOLE.test(text) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
    if (n < min || n > max) throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}.` : `must be between ${min} and ${max}.`);
    return n;
  };
}

/** A percentage 0–100; `20` and `20%` both mean 20 (people type the sign). */
export function percentage(value: string): number {
  const text = value.trim().replace(/%$/, '').trim();
  if (!DECIMAL.test(text)) throw new InvalidArgumentError(`"${value}" is not a percentage (write 20 or 20%).`);
  const n = Number(text);
  if (n > 100) throw new InvalidArgumentError('must be between 0 and 100.');
  return n;
}

/** A probability 0–1 (emulator fault injection). */
export function probability(value: string): number {
  const text = value.trim();
  const n = Number(text);
  if (!DECIMAL.test(text) || n > 1) throw new InvalidArgumentError(`"${value}" is not a probability between 0 and 1.`);
  return n;
}

/** Parallel requests: at least 1. */
export const concurrency = wholeNumber(1);
/** How many objects a delete limit allows: 0 means none. */
export const count = wholeNumber(0);
