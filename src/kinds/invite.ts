import { keys, type DesiredInvite } from '../core/desired.js';
import { addressKey, type Value } from '../core/types.js';
import { ASSIGNMENT_LIFECYCLE_FIELDS, uplineDependency } from './common.js';
import { findAssignmentIds } from './find.js';
import { idOrRef, pathOf, type KindContext, type KindModule } from './kind.js';

function plan(ctx: KindContext, invite: DesiredInvite): void {
  const npn = invite.producer.npn;
  const all = invite.contracts.map((c) => ({ carrier: c.carrier, product: c.product, commissionLevel: c.commissionLevel }));
  // Satisfied contracts exist as assignments already: an invitation is never sent for them again.
  const missing = invite.contracts.filter((c) => !ctx.index.assignmentsByKey.has(keys.assignment(npn, c.carrier, c.product)));
  const base = { address: { kind: 'invite' as const, key: keys.invite(npn) }, identity: { npn }, source: invite.source, fields: [] };
  if (missing.length === 0) {
    ctx.changes.push({ ...base, action: 'noop', before: { email: invite.producer.email, contracts: all }, after: { email: invite.producer.email, contracts: all },
      dependsOn: [], liveId: null, fingerprint: null, operation: null, notes: ['invitation satisfied: every contract exists'] });
    return;
  }
  const dependsOn: string[] = [];
  const contractAssignments = missing.map((c) => {
    const carrierKey = addressKey({ kind: 'carrier', key: c.carrier });
    const productKey = addressKey({ kind: 'product', key: keys.product(c.carrier, c.product) });
    const levelKey = addressKey({ kind: 'commissionLevel', key: keys.level(c.carrier, c.product, c.commissionLevel) });
    const uplineKey = uplineDependency(ctx, c.uplineNpn, c.carrier, c.product);
    dependsOn.push(...(uplineKey && uplineKey !== addressKey(base.address) ? [uplineKey] : []), carrierKey, productKey, levelKey);
    return {
      ...(c.administrativeDivisions ? { administrativeDivisions: c.administrativeDivisions } : {}),
      toOrganizationId: idOrRef(ctx.index.carrierByName.get(c.carrier)?.id, carrierKey),
      fromOrganizationId: ctx.desired.agency.organizationId ?? '',
      productId: idOrRef(ctx.index.productByKey.get(keys.product(c.carrier, c.product))?.id, productKey),
      commissionLevelId: idOrRef(ctx.index.levelByKey.get(keys.level(c.carrier, c.product, c.commissionLevel))?.id, levelKey),
      ...(c.uplineNpn ? { [ASSIGNMENT_LIFECYCLE_FIELDS.upline]: c.uplineNpn } : {}),
      ...c.userDefined,
    } as Record<string, Value>;
  });
  const inviter = invite.inviter ?? ctx.desired.agency.inviter;
  const body = { producer: { ...invite.producer, ...(inviter ? { inviter: { ...inviter } } : {}) }, contractAssignments } as Record<string, Value>;
  const planned = missing.map((c) => ({ carrier: c.carrier, product: c.product, commissionLevel: c.commissionLevel, ...(c.uplineNpn ? { upline: c.uplineNpn } : {}) }));
  const notes = missing.length < all.length ? [`${all.length - missing.length} of ${all.length} contracts already exist; inviting for the rest`] : [];
  ctx.changes.push({ ...base, action: 'create', before: null, after: { email: invite.producer.email, contracts: planned }, dependsOn: [...new Set(dependsOn)],
    liveId: null, fingerprint: null, notes, operation: { api: 'agentsync', method: 'POST', ...pathOf`/v1/invitation`, body } });
}

export const inviteKind: KindModule = {
  kind: 'invite',
  plan(ctx) {
    for (const invite of ctx.desired.invites) plan(ctx, invite);
  },
  /**
   * An invitation has no id. It creates its contracts all at once, so once any of them exists the
   * invitation went out (after an ambiguous failure) or someone else contracted the producer
   * (a stale saved plan): either way it must not be sent again.
   */
  async locate(change, api, ids) {
    const contracts = (change.after?.contracts ?? []) as Array<{ carrier: string; product: string }>;
    for (const c of contracts) {
      if ((await findAssignmentIds(api, change.identity.npn, c.carrier, c.product, ids)).length > 0) return `invitation:${change.identity.npn}`;
    }
    return null;
  },
};
