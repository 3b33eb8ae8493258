import { prunes, type DesiredState } from './desired.js';
import { keyOfParts, type DiscoverContext, type KindModule } from './kind.js';
import type { KindName } from './types.js';

/**
 * What a plan's discovery reads children under: the objects the config declares, and every object
 * of a kind it prunes (pruning a product takes its levels, so all of a declared carrier's are read).
 */
export function declaredScope(desired: DesiredState, kinds: readonly KindModule[]): DiscoverContext['inScope'] {
  const declared = new Map<KindName, { kind: KindModule; keys: Set<string> }>();
  for (const kind of kinds) {
    if (kind.declaredParts) declared.set(kind.kind, { kind, keys: new Set((desired.entries[kind.kind] ?? []).map((e) => keyOfParts(kind, kind.declaredParts!(e)))) });
  }
  return (kind, parts) => {
    if (prunes(desired.prune, kind)) return true;
    const found = declared.get(kind);
    return found !== undefined && found.keys.has(keyOfParts(found.kind, parts));
  };
}

/** Everything: export reads the whole account. */
export const everything: DiscoverContext['inScope'] = () => true;
