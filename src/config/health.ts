import type { Path } from './parse.js';

/**
 * Which values of one file are broken (a schema error or an unresolved variable), so that the
 * cross-object checks run on everything else in the same pass and skip only what a broken value
 * makes meaningless: an object whose name is broken cannot be a duplicate or a reference target.
 */
export interface Health {
  /** The object at `path` is broken itself, or one of its naming fields (`producer.npn` for nested ones). */
  unnamed(path: Path, keys: readonly string[]): boolean;
  /** What the list `key` of the object at `path` declares is unknown (the list or the object's keys are broken). */
  incomplete(path: Path, key: string): boolean;
}

export const HEALTHY: Health = { unnamed: () => false, incomplete: () => false };

/** A schema problem: where, and which JSON Schema keyword failed. */
export interface Problem {
  path: Path;
  keyword: string;
}

const join = (path: Path) => path.join('\u0000');

/** `unresolved`: whether the value at a path had a variable that could not be resolved (absent: none had). */
export function fileHealth(problems: readonly Problem[], unresolved?: (path: Path) => boolean): Health {
  const broken = new Set<string>();
  // An unknown key leaves the object itself intact (its other keys are read) but may be a misspelt list.
  const unknownKeys = new Set<string>();
  for (const p of problems) (p.keyword === 'additionalProperties' ? unknownKeys : broken).add(join(p.path));
  // A healthy file (the common case, asked once per object of a 100,000-producer book) answers at once.
  if (broken.size === 0 && unknownKeys.size === 0 && !unresolved) return HEALTHY;
  const bad = (path: Path) => (broken.size > 0 && broken.has(join(path))) || (unresolved !== undefined && unresolved(path));
  return {
    unnamed: (path, keys) => bad(path) || keys.some((k) => bad([...path, ...k.split('.')])),
    incomplete: (path, key) => bad([...path, key]) || (unknownKeys.size > 0 && unknownKeys.has(join(path))),
  };
}

/** Reference targets that may exist but could not be read: checks against them are skipped. */
export interface Unknowns {
  /** Some carrier is unnamed, or the carriers list is broken. */
  carriers: boolean;
  /** Carrier names whose product list is incomplete. */
  products: Set<string>;
  /** Product keys whose commission-level list is incomplete. */
  levels: Set<string>;
  /** The agency block is broken. */
  agency: boolean;
}

export const noUnknowns = (): Unknowns => ({ carriers: false, products: new Set(), levels: new Set(), agency: false });
