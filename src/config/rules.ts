import { error, formatLocation } from '../core/diagnostics.js';
import { keys, type DesiredState } from '../core/desired.js';
import { checkDeclaredHierarchy } from '../core/hierarchy-rules.js';
import { didYouMean } from '../core/suggest.js';
import type { Diagnostic, SourceLocation } from '../core/types.js';
import { noUnknowns, type Unknowns } from './health.js';
import { quotedPath } from '../core/address.js';

/**
 * Reports every later declaration of a key at its own place, naming the first — one pass with a map
 * (this also covers the NPNs of an `npns:` list, where a JSON Schema `uniqueItems` is quadratic).
 */
function duplicates<T>(items: T[], keyOf: (item: T) => string, sourceOf: (item: T) => SourceLocation, what: (item: T, first: T) => string): Diagnostic[] {
  const seen = new Map<string, T>();
  const out: Diagnostic[] = [];
  for (const item of items) {
    const key = keyOf(item);
    const first = seen.get(key);
    // A roster row has no name to change: both places being rows, the fix is to drop one.
    const rows = sourceOf(item).cell !== undefined && sourceOf(first ?? item).cell !== undefined;
    if (first) out.push(error(what(item, first), sourceOf(item), `first declared at ${formatLocation(sourceOf(first))}; ${rows ? 'remove one of the rows' : 'remove one or rename it'}`));
    else seen.set(key, item);
  }
  return out;
}

const twice = (what: string) => `${what} is declared twice`;

/** Cross-object rules that a JSON Schema cannot express. Pure; runs after the schema. */
export function checkRules(state: DesiredState, options: { references: boolean; unknowns?: Unknowns }): Diagnostic[] {
  const unknowns = options.unknowns ?? noUnknowns();
  const out: Diagnostic[] = [];
  out.push(...duplicates(state.entries.carrier, (c) => c.name, (c) => c.fieldSources.name ?? c.source, (c) => twice(`carrier "${c.name}"`)));
  out.push(...duplicates(state.entries.product, (p) => keys.product(p.carrier, p.name), (p) => p.source, (p) => twice(`product "${p.name}" of carrier "${p.carrier}"`)));
  out.push(...duplicates(state.entries.commissionLevel, (l) => keys.level(l.carrier, l.product, l.name), (l) => l.source, (l) => twice(`commission level "${l.name}" of product "${l.product}"`)));

  const contracts = [
    // `entry`: the producers of one `npns:` list share their entry's fields object.
    ...state.entries.assignment.map((a) => ({ npn: a.npn, carrier: a.carrier, product: a.product, source: a.source, entry: a.fields as object | undefined })),
    ...state.entries.invite.flatMap((i) => i.contracts.map((c) => ({ npn: i.producer.npn, carrier: c.carrier, product: c.product, source: c.source, entry: undefined }))),
  ];
  out.push(...duplicates(contracts, (c) => keys.assignment(c.npn, c.carrier, c.product), (c) => c.source,
    (c, first) => (c.entry && c.entry === first.entry ? `npns lists producer ${c.npn} twice` : twice(`the contract of producer ${c.npn} on ${quotedPath([c.carrier, c.product])}`))));
  out.push(...duplicates(state.entries.invite, (i) => i.producer.npn, (i) => i.fieldSources.npn ?? i.source, (i) => twice(`an invite for producer ${i.producer.npn}`)));
  // An e-mail key is case-insensitive, as Turris associations are matched (`isTurrisMatch`): one contact, one invitation.
  out.push(...duplicates(state.entries.turrisInvite, (t) => t.producerCode ?? t.key.toLowerCase(), (t) => t.fieldSources.producerCode ?? t.source, (t) => twice(`Turris invite ${JSON.stringify(t.key)}`)));

  if (state.entries.invite.length > 0) {
    if (!state.agency.organizationId && !unknowns.agency) {
      out.push(error('invites need agency.organizationId (the fromOrganizationId of each contract)', state.agency.source ?? state.entries.invite[0].source, 'add agency: { organizationId: … }'));
    }
    for (const invite of state.entries.invite) {
      if (!invite.inviter && !state.agency.inviter && !unknowns.agency) out.push(error(`the invite for producer ${invite.producer.npn} has no inviter`, invite.source, 'set agency.inviter, or inviter on the invite'));
    }
  }
  for (const t of state.entries.turrisInvite) {
    if (t.contractTemplate && t.preContractReview) {
      out.push(error(`Turris invite "${t.key}" sets both contractTemplate and preContractReview`, t.fieldSources.contractTemplate ?? t.source,
        'choose the template now (contractTemplate) or later in pre-contract review (preContractReview: true), not both'));
    }
  }
  if (options.references) {
    out.push(...checkReferences(state, unknowns));
    // The hierarchy rules where the config holds both ends; `plan` adds what needs the live account.
    out.push(...checkDeclaredHierarchy(state));
  }
  return out;
}

/** Dangling references; a target that a broken value left unknown is not reported (the broken value is). */
function checkReferences(state: DesiredState, unknowns: Unknowns): Diagnostic[] {
  const out: Diagnostic[] = [];
  const carriers = new Set(state.entries.carrier.map((c) => c.name));
  const productsOf = new Map<string, string[]>();
  for (const p of state.entries.product) productsOf.set(p.carrier, [...(productsOf.get(p.carrier) ?? []), p.name]);
  const levelsOf = new Map<string, string[]>();
  for (const l of state.entries.commissionLevel) {
    const k = keys.product(l.carrier, l.product);
    levelsOf.set(k, [...(levelsOf.get(k) ?? []), l.name]);
  }
  const check = (ref: { carrier: string; product: string; commissionLevel: string }, at: { carrier: SourceLocation; product: SourceLocation; level: SourceLocation }) => {
    if (!carriers.has(ref.carrier)) {
      if (!unknowns.carriers) out.push(error(`carrier ${quotedPath([ref.carrier])} is not declared under carriers`, at.carrier, didYouMean(ref.carrier, carriers) ?? 'declare it under carriers'));
      return;
    }
    const products = productsOf.get(ref.carrier) ?? [];
    if (!products.includes(ref.product)) {
      if (!unknowns.products.has(ref.carrier)) out.push(error(`product ${quotedPath([ref.product])} is not declared under carrier ${quotedPath([ref.carrier])}`, at.product, didYouMean(ref.product, products) ?? 'declare it under the carrier\'s products'));
      return;
    }
    const levels = levelsOf.get(keys.product(ref.carrier, ref.product)) ?? [];
    if (!levels.includes(ref.commissionLevel) && !unknowns.levels.has(keys.product(ref.carrier, ref.product))) {
      out.push(error(`commission level ${quotedPath([ref.commissionLevel])} is not declared under product ${quotedPath([ref.product])}`, at.level, didYouMean(ref.commissionLevel, levels) ?? 'declare it under the product\'s commissionLevels'));
    }
  };
  // Compact `npns:` entries share one reference: report it once, not once per producer.
  const reported = new Set<SourceLocation>();
  for (const a of state.entries.assignment) {
    const levelAt = a.fieldSources.commissionLevel;
    if (reported.has(levelAt)) continue;
    reported.add(levelAt);
    check({ carrier: a.carrier, product: a.product, commissionLevel: String(a.fields.commissionLevel) },
      { carrier: a.fieldSources.carrier, product: a.fieldSources.product, level: levelAt });
  }
  for (const invite of state.entries.invite) {
    for (const c of invite.contracts) check(c, { carrier: c.fieldSources.carrier, product: c.fieldSources.product, level: c.fieldSources.commissionLevel });
  }
  return out;
}
