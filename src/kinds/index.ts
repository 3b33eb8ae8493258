import { assignmentKind } from './assignment.js';
import { carrierKind } from './carrier.js';
import { commissionLevelKind } from './commission-level.js';
import { inviteKind } from './invite.js';
import type { KindModule } from '../core/kind.js';
import { productKind } from './product.js';
import { turrisInviteKind } from './turris-invite.js';
import type { KindName } from '../core/types.js';

const registry: KindModule[] = [carrierKind, productKind, commissionLevelKind, assignmentKind, inviteKind, turrisInviteKind];

/** The registry. Planning order follows references: a kind may look up the kinds before it. */
export const KINDS: readonly KindModule[] = registry;

/** Add a kind after the built-ins: it plans, applies, renders and exports through its module alone. */
export function registerKind(kind: KindModule): void {
  if (registry.some((k) => k.kind === kind.kind)) throw new Error(`kind "${kind.kind}" is registered already`);
  registry.push(kind);
}

export function kindOf(name: KindName): KindModule {
  const kind = registry.find((k) => k.kind === name);
  if (!kind) throw new Error(`unknown kind "${name}": no module is registered for it`);
  return kind;
}
