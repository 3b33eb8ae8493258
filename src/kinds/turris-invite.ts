import { encodeKey } from '../core/address.js';
import { error, warning } from '../core/diagnostics.js';
import { valuesEqual } from '../core/compare.js';
import type { DesiredTurrisInvite } from '../core/desired.js';
import { create, noop } from '../core/change.js';
import { deterministicUuid, fingerprint } from '../core/fingerprint.js';
import { didYouMean } from '../core/suggest.js';
import { addressKey, type Address, type Value, type View } from '../core/types.js';
import { isTurrisMatch, listTurris } from './turris-list.js';
import { describeObject, type DiscoverContext, type Discovered, type KindContext, type KindModule } from '../core/kind.js';
import type { ContractTemplate, LiveAssociation, RawObject } from '../core/live.js';
import type { DiscoveryPort } from '../core/ports.js';

const INVITE_PATH = '/v1/downstream-entity-associations/invite';
const ASSOCIATIONS = '/v1/downstream-entity-associations';

/** The same invite always carries the same key, so a retried POST is answered from Turris' cache. */
export const idempotencyKeyOf = (key: string): string => deterministicUuid(`downline:turris-invite:${key}`);

function templateId(ctx: KindContext, t: DesiredTurrisInvite): string | undefined {
  if (!t.contractTemplate) return undefined;
  const active = (ctx.live.contractTemplates ?? []).filter((x) => x.status === undefined || x.status === 'active');
  const found = active.find((x) => x.name === t.contractTemplate) ?? active.find((x) => x.name.toLowerCase() === t.contractTemplate!.toLowerCase());
  if (!found) {
    ctx.diagnostics.push(error(`unknown or inactive Turris contract template "${t.contractTemplate}"`, t.fieldSources.contractTemplate,
      didYouMean(t.contractTemplate, active.map((x) => x.name)) ?? `active templates: ${active.map((x) => x.name).join(', ') || 'none'}`));
  }
  return found?._id;
}

function body(t: DesiredTurrisInvite, template: string | undefined): Record<string, Value> {
  return {
    useInviteUrl: t.useInviteUrl, isNpnRequired: t.isNpnRequired, downstreamEntityName: t.downstreamEntityName,
    firstName: t.contact.firstName, lastName: t.contact.lastName, email: t.contact.email, category: t.category,
    ...(t.producerCode ? { producerCode: t.producerCode } : {}),
    ...(t.externalId ? { externalId: t.externalId } : {}),
    ...(t.parentProducerCode ? { parentProducerCode: t.parentProducerCode } : {}),
    ...(template ? { contractContainerTemplateId: template } : {}),
    ...(t.preContractReview ? { onboardingSettings: { isPreContractReviewStepUsed: true } } : {}),
    ...(t.customFieldValues ? { customFieldValues: t.customFieldValues } : {}),
  };
}

/**
 * A satisfied invitation edited since the --since base: Turris has no update, so the edit cannot be
 * applied — said, never silently dropped (without a base nothing tells an edit from the original).
 */
function notApplied(ctx: KindContext, address: Address, view: View, t: DesiredTurrisInvite): void {
  const base = ctx.unverified.base;
  const before = base?.views.get(addressKey(address));
  if (!base || !before) return;
  const edited = [...new Set([...Object.keys(before), ...Object.keys(view)])].filter((f) => !valuesEqual(view[f] ?? null, before[f] ?? null, 'exact'));
  if (edited.length === 0) return;
  ctx.diagnostics.push(warning(`${describeObject(turrisInviteKind, [t.key])} is associated in Turris already: its ${edited.join(', ')} changed since ${base.ref}, and Turris has no update for an association, so the change is not applied`,
    t.source, 'make the change in Turris itself, or end the association there and plan again to invite anew'));
}

/**
 * The associations each invitation is keyed by (tagged with its key), and the contract templates:
 * by producer code from one listing, by e-mail through Turris' filter, one request each.
 */
async function discoverAssociations(api: DiscoveryPort, { desired }: DiscoverContext): Promise<Discovered> {
  const invites = desired.entries.turrisInvite;
  if (invites.length === 0) return { objects: [] };
  // Said at once: a missing credential must not surface minutes later behind unrelated errors.
  if (!api.hasTurris()) {
    throw new Error(`the config has ${invites.length} Turris invitation(s), but TURRIS_CLIENT_ID and TURRIS_CLIENT_SECRET are not set: set both (and TURRIS_BASE_URL outside production), or remove the turris section`);
  }
  const contractTemplates = (await listTurris(api, '/v1/contract-container-templates')) as unknown as ContractTemplate[];
  const objects: LiveAssociation[] = [];
  const tag = (found: Array<Record<string, unknown>>, t: DesiredTurrisInvite, key: { producerCode?: string; email?: string }) => {
    for (const a of found) if (isTurrisMatch(a, key)) objects.push({ ...(a as RawObject), inviteKey: t.key });
  };
  const byCode = invites.filter((t) => t.producerCode);
  if (byCode.length > 0) {
    const all = await listTurris(api, ASSOCIATIONS);
    for (const t of byCode) tag(all, t, { producerCode: t.producerCode });
  }
  for (const t of invites.filter((x) => !x.producerCode)) tag(await listTurris(api, ASSOCIATIONS, { email: t.contact.email }), t, { email: t.contact.email });
  return { objects, contractTemplates };
}

export const turrisInviteKind: KindModule = {
  kind: 'turrisInvite',
  title: 'Turris invitations',
  key: { parts: ['key'] },
  describe: (parts) => `Turris invitation "${parts[0]}"`,
  noun: 'Turris invitation',
  discover: discoverAssociations,
  plan(ctx) {
    const byKey = new Map<string | undefined, LiveAssociation[]>();
    for (const a of ctx.live.objects.turrisInvite ?? []) byKey.set(a.inviteKey, [...(byKey.get(a.inviteKey) ?? []), a]);
    for (const t of ctx.desired.entries.turrisInvite) {
      const template = templateId(ctx, t);
      const found = byKey.get(t.key) ?? [];
      // What the downstream entity will be asked to sign: the template, or a review before any contract.
      const view = {
        downstreamEntityName: t.downstreamEntityName, email: t.contact.email, category: t.category,
        ...(t.producerCode ? { producerCode: t.producerCode } : {}),
        ...(t.contractTemplate ? { contractTemplate: t.contractTemplate } : {}),
        ...(t.preContractReview ? { preContractReview: true } : {}),
      };
      const base = { address: { kind: 'turrisInvite' as const, key: encodeKey([t.key]) }, identity: { key: t.key, ...(t.producerCode ? { producerCode: t.producerCode } : { email: t.contact.email }) }, source: t.source };
      if (found.length > 0) {
        // Turris offers no update for associations: an existing one satisfies the invite.
        // The hash is of the association as Turris answered it, without discovery's tag.
        const { inviteKey: _tag, ...association } = found[0];
        notApplied(ctx, base.address, view, t);
        ctx.changes.push(noop({ ...base, notes: ['already associated in Turris (Turris has no update: its settings are not compared)'] },
          { liveId: String(association._id ?? association.id), fingerprint: fingerprint(association) }, view, view));
        continue;
      }
      ctx.changes.push(create({ ...base, notes: t.useInviteUrl ? ['the invite URL is reported after apply'] : [] }, view,
        { api: 'turris', method: 'POST', path: INVITE_PATH, refs: [], body: body(t, template), idempotencyKey: idempotencyKeyOf(t.key) }));
    }
  },
  async locate(change, api) {
    const { producerCode, email } = change.identity;
    const found = await listTurris(api, ASSOCIATIONS, producerCode ? {} : { email });
    const match = found.find((a) => isTurrisMatch(a, { producerCode, email }));
    return match ? String(match._id) : null;
  },
};
