import { assignmentKind } from './assignment.js';
import { carrierKind } from './carrier.js';
import { commissionLevelKind } from './commission-level.js';
import { inviteKind } from './invite.js';
import type { KindModule } from '../core/kind.js';
import { productKind } from './product.js';
import { turrisInviteKind } from './turris-invite.js';
import type { KindName } from '../core/types.js';

/** The registry. Planning order follows references: a kind may look up the kinds before it. */
export const KINDS: readonly KindModule[] = [carrierKind, productKind, commissionLevelKind, assignmentKind, inviteKind, turrisInviteKind];

export const kindOf = (name: KindName): KindModule => KINDS.find((k) => k.kind === name)!;
