import { decodeKey } from '../core/address.js';
import { create, noop, type LiveRef } from '../core/change.js';
import { fingerprint } from '../core/fingerprint.js';
import { keys, type DesiredInvite, type DesiredInviteContract } from '../core/desired.js';
import type { ContractTrace } from '../core/live.js';
import { addressKey, type Value } from '../core/types.js';
import { ASSIGNMENT_LIFECYCLE_FIELDS, uplineDependency } from './common.js';
import { findAssignmentIds } from './assignment-live.js';
import { idOrRef, pathOf, type KindContext, type KindModule } from '../core/kind.js';

const contractView = (c: DesiredInviteContract) => ({
  carrier: c.carrier, product: c.product, commissionLevel: c.commissionLevel,
  ...(c.administrativeDivisions ? { administrativeDivisions: c.administrativeDivisions } : {}),
  // Name-space: `upline`, the canonical spelling (the plan's hierarchy reads it).
  ...(c.uplineNpn ? { upline: c.uplineNpn } : {}),
});

/**
 * Words for the e-mail an invitation sends, with stateless evidence that the producer was contracted
 * before: contracts of theirs that exist live, and their entries in the Hierarchies changelog of the
 * products invited to (a pruned contract still shows there).
 */
function emailNote(email: string, npn: string, contracts: number, held: string[], traces: string[]): string {
  const what = `an invitation to ${contracts} contract(s)`;
  const evidence: string[] = [];
  if (held.length > 0) {
    const shown = held.slice(0, 3).map((k) => decodeKey(k)!.slice(1).join(' / ')).join(', ');
    evidence.push(`previously contracted — producer ${npn} holds ${held.length} contract assignment(s) here (${shown}${held.length > 3 ? ', …' : ''})`);
  }
  if (traces.length > 0) evidence.push(`previously invited — ${traces.join(', ')}`);
  return evidence.length ? `will e-mail ${email} again: ${evidence.join('; ')}; sending ${what}` : `will e-mail ${email} ${what}`;
}

/**
 * Changelog entries of the producer (matched by name: the changelog carries no NPN) on the products
 * the invitation contracts on: a contract that was deleted since still shows there.
 */
function tracesOf(ctx: KindContext, history: History, invite: DesiredInvite, contracts: DesiredInviteContract[]): string[] {
  const name = nameKey(`${invite.producer.firstName} ${invite.producer.lastName}`);
  return contracts.flatMap((c) => {
    const productId = ctx.index.get('product', keys.product(c.carrier, c.product))?.id;
    const found = (productId && history.get(productId)?.get(name)) || [];
    if (found.length === 0) return [];
    const latest = found.map((t) => t.modifiedDate ?? '').sort().pop();
    const numbers = [...new Set(found.map((t) => t.displayNumber).filter(Boolean))].join(', ');
    return [`"${invite.producer.firstName} ${invite.producer.lastName}" held ${numbers ? `contract ${numbers}` : 'a contract'} on ${c.carrier} / ${c.product} (Hierarchies changelog${latest ? `, last changed ${latest.slice(0, 10)}` : ''})`];
  });
}

/** Changelog traces by product id, then by normalised producer name: one pass, however many invitations. */
type History = Map<string, Map<string, ContractTrace[]>>;
const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

function historyOf(ctx: KindContext): History {
  const history: History = new Map();
  for (const [productId, traces] of Object.entries(ctx.live.contractHistory ?? {})) {
    const byName = new Map<string, ContractTrace[]>();
    for (const t of traces) byName.set(nameKey(t.producerName), [...(byName.get(nameKey(t.producerName)) ?? []), t]);
    history.set(productId, byName);
  }
  return history;
}

/** The note of every satisfied invitation: one list for all of them (never changed). */
const SATISFIED: string[] = Object.freeze(['invitation satisfied: every contract exists (sent once; its producer details are not compared)']) as unknown as string[];

function plan(ctx: KindContext, invite: DesiredInvite, heldBy: Map<string, string[]>, history: History): void {
  const npn = invite.producer.npn;
  // A reviewer needs where (states) and under whom (upline) each contract puts the producer.
  const all = invite.contracts.map(contractView);
  // Satisfied contracts exist as assignments already: an invitation is never sent for them again.
  const missing = invite.contracts.filter((c) => !ctx.index.get('assignment', keys.assignment(npn, c.carrier, c.product)));
  const base = { address: { kind: 'invite' as const, key: keys.invite(npn) }, identity: { npn }, source: invite.source };
  if (missing.length === 0) {
    // Before and after are the same view (one object for both: a large book has 100,000 of these).
    const view = { email: invite.producer.email, contracts: all };
    ctx.changes.push(noop({ ...base, notes: SATISFIED }, satisfiedBy(ctx, invite), view, view));
    return;
  }
  const dependsOn: string[] = [];
  const contractAssignments = missing.map((c) => {
    const carrierKey = addressKey({ kind: 'carrier', key: keys.carrier(c.carrier) });
    const productKey = addressKey({ kind: 'product', key: keys.product(c.carrier, c.product) });
    const levelKey = addressKey({ kind: 'commissionLevel', key: keys.level(c.carrier, c.product, c.commissionLevel) });
    const uplineKey = uplineDependency(ctx, c.uplineNpn, c.carrier, c.product);
    dependsOn.push(...(uplineKey && uplineKey !== addressKey(base.address) ? [uplineKey] : []), carrierKey, productKey, levelKey);
    return {
      ...(c.administrativeDivisions ? { administrativeDivisions: c.administrativeDivisions } : {}),
      toOrganizationId: idOrRef(ctx.index.get('carrier', keys.carrier(c.carrier))?.id, carrierKey),
      fromOrganizationId: ctx.desired.agency.organizationId ?? '',
      productId: idOrRef(ctx.index.get('product', keys.product(c.carrier, c.product))?.id, productKey),
      commissionLevelId: idOrRef(ctx.index.get('commissionLevel', keys.level(c.carrier, c.product, c.commissionLevel))?.id, levelKey),
      ...(c.uplineNpn ? { [ASSIGNMENT_LIFECYCLE_FIELDS.upline]: c.uplineNpn } : {}),
      ...c.userDefined,
    } as Record<string, Value>;
  });
  const inviter = invite.inviter ?? ctx.desired.agency.inviter;
  const body = { producer: { ...invite.producer, ...(inviter ? { inviter: { ...inviter } } : {}) }, contractAssignments } as Record<string, Value>;
  const planned = missing.map(contractView);
  const notes = [
    ...(missing.length < all.length ? [`${all.length - missing.length} of ${all.length} contracts already exist; inviting for the rest`] : []),
    emailNote(invite.producer.email, npn, missing.length, heldBy.get(npn) ?? [], tracesOf(ctx, history, invite, missing)),
  ];
  ctx.changes.push(create({ ...base, dependsOn: [...new Set(dependsOn)], notes }, { email: invite.producer.email, contracts: planned },
    { api: 'agentsync', method: 'POST', ...pathOf`/v1/invitation`, body }));
}

/**
 * A satisfied invitation's live object is the contract assignments it made: the first one's id, and
 * one hash over all of them (so a saved plan notices when any of them moved).
 */
function satisfiedBy(ctx: KindContext, invite: DesiredInvite): LiveRef {
  const live = invite.contracts.map((c) => ctx.index.get('assignment', keys.assignment(invite.producer.npn, c.carrier, c.product))!);
  return { liveId: live[0].id, fingerprint: fingerprint(live) };
}

export const inviteKind: KindModule = {
  kind: 'invite',
  title: 'Invitations',
  key: { parts: ['npn'] },
  describe: (parts) => `invitation of ${parts[0]}`,
  noun: 'invitation',
  plan(ctx) {
    if (ctx.desired.entries.invite.length === 0) return;
    const heldBy = new Map<string, string[]>();
    for (const [key, [first]] of ctx.index.entries('assignment')) {
      const npn = String(first.npn);
      const held = heldBy.get(npn);
      if (held) held.push(key);
      else heldBy.set(npn, [key]);
    }
    const history = historyOf(ctx);
    for (const invite of ctx.desired.entries.invite) plan(ctx, invite, heldBy, history);
  },
  /**
   * An invitation has no id. It creates its contracts all at once, so once any of them exists the
   * invitation went out (after an ambiguous failure) or someone else contracted the producer
   * (a stale saved plan): either way it must not be sent again.
   */
  async locate(change, api, ctx) {
    const contracts = (change.after?.contracts ?? []) as Array<{ carrier: string; product: string }>;
    for (const c of contracts) {
      if ((await findAssignmentIds(api, change.identity.npn, c.carrier, c.product, ctx)).length > 0) return `invitation:${change.identity.npn}`;
    }
    return null;
  },
};
