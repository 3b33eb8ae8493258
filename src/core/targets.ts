import { canonicalKey, unquotedKey } from './address.js';
import { error } from './diagnostics.js';
import { nearest } from './suggest.js';
import type { AddressKey, Diagnostic } from './types.js';

/** `kind.key` → its parts: the kind name holds no dot, so the first dot ends it. */
function split(target: string): { kind: string; key: string } {
  const dot = target.indexOf('.');
  return dot < 0 ? { kind: target, key: '' } : { kind: target.slice(0, dot), key: target.slice(dot + 1) };
}

const canonical = (target: string): string => {
  const { kind, key } = split(target);
  return `${kind}.${canonicalKey(key)}`;
};

const unquoted = (address: string): string => {
  const { kind, key } = split(address);
  return `${kind}.${unquotedKey(key)}`;
};

/**
 * `--target` addresses → the plan's address keys. A target is read with the address encoding (so a
 * quoted part may hold `/`); typed without the quotes it still matches when exactly one object reads
 * that way. A target that matches nothing is a typo, not "no changes": the closest addresses are named.
 */
export function resolveTargets(targets: readonly string[], known: readonly AddressKey[]): { keys: AddressKey[]; diagnostics: Diagnostic[] } {
  const set = new Set(known);
  let byUnquoted: Map<string, AddressKey[]> | undefined;
  const keys: AddressKey[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const target of targets) {
    const exact = canonical(target);
    if (set.has(exact)) {
      keys.push(exact);
      continue;
    }
    byUnquoted ??= groupBy(known, unquoted);
    const loose = byUnquoted.get(unquoted(target)) ?? [];
    if (loose.length === 1) keys.push(loose[0]);
    else if (loose.length > 1) {
      diagnostics.push(error(`--target ${target} names ${loose.length} objects: ${loose.join(', ')}`, undefined,
        `a name in it holds a separator (/ @ #): write the target as the address shows it, e.g. --target '${loose[0]}'`));
    } else {
      const near = nearest(target, [...known], 3);
      diagnostics.push(error(`--target ${target} matches no object in the config`, undefined,
        near.length ? `closest addresses: ${near.join(', ')} (addresses are kind.key as \`plan --verbose\` shows them)` : 'the config declares no objects'));
    }
  }
  return { keys, diagnostics };
}

function groupBy(keys: readonly AddressKey[], by: (key: AddressKey) => string): Map<string, AddressKey[]> {
  const groups = new Map<string, AddressKey[]>();
  for (const key of keys) {
    const group = groups.get(by(key));
    if (group) group.push(key);
    else groups.set(by(key), [key]);
  }
  return groups;
}
