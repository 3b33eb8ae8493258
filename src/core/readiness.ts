/**
 * Readiness (SPEC §15): a producer must hold an active licence with a matching line of authority in
 * every state of a contract before the contract is requested. Pure: the plan's creates and the
 * licences fetched for them in, findings out.
 */
import { keys, type DesiredState } from './desired.js';
import type { LiveSnapshot } from './live.js';
import type { Diagnostic, Plan, Severity, SourceLocation } from './types.js';
import { quotedPath } from './address.js';

export type ReadinessLevel = 'error' | 'warning' | 'off';

/** One licence as ProducerSync holds it, in downline's words. */
export interface LicenceRecord {
  npn: string;
  state: string;
  active: boolean;
  expirationDate?: string;
  resident: boolean;
  linesOfAuthority: Array<{ name: string; category: string; active: boolean }>;
}

/** A contract the plan will create, with what its producer must be licensed for. */
export interface ReadinessTarget {
  npn: string;
  /** How the finding names the producer: the NPN, with the name when the config gives one. */
  producer: string;
  carrier: string;
  product: string;
  lineOfBusiness: string;
  /** The states the position covers (else its product's); undefined when neither declares any. */
  states?: string[];
  source?: SourceLocation;
}

const asStates = (value: unknown): string[] | undefined => (Array.isArray(value) && value.length > 0 ? value.map(String) : undefined);

/** Every assignment and invitation contract the plan creates: nothing else is checked (a no-op plan checks nothing). */
export function readinessTargets(plan: Plan, desired: DesiredState, live: LiveSnapshot): ReadinessTarget[] {
  const products = new Map(desired.entries.product.map((p) => [keys.product(p.carrier, p.name), p]));
  const carrierNames = new Map(live.objects.carrier.map((c) => [c.id, String(c.name)]));
  const liveProducts = new Map(live.objects.product.map((p) => [keys.product(carrierNames.get(String(p.carrierId)) ?? '', String(p.name)), p]));
  const liveProduct = (carrier: string, product: string) => liveProducts.get(keys.product(carrier, product));
  const target = (npn: string, producer: string, carrier: string, product: string, positionStates: unknown, source?: SourceLocation): ReadinessTarget => {
    const declared = products.get(keys.product(carrier, product));
    const states = asStates(positionStates) ?? asStates(declared?.fields.administrativeDivisions) ?? asStates(liveProduct(carrier, product)?.administrativeDivisions);
    return { npn, producer, carrier, product, lineOfBusiness: String(declared?.fields.lineOfBusiness ?? ''), ...(states ? { states: [...states].sort() } : {}), ...(source ? { source } : {}) };
  };
  const assignments = new Map(desired.entries.assignment.map((a) => [keys.assignment(a.npn, a.carrier, a.product), a]));
  const invites = new Map(desired.entries.invite.map((i) => [i.producer.npn, i]));
  const targets: ReadinessTarget[] = [];
  for (const change of plan.changes) {
    if (change.action !== 'create') continue;
    if (change.address.kind === 'assignment') {
      const a = assignments.get(change.address.key);
      if (a) targets.push(target(a.npn, `producer ${a.npn}`, a.carrier, a.product, a.fields.administrativeDivisions, a.source));
    } else if (change.address.kind === 'invite') {
      const invite = invites.get(change.identity.npn);
      if (!invite) continue;
      const planned = (change.after?.contracts ?? []) as Array<{ carrier: string; product: string }>;
      const who = `producer ${invite.producer.firstName} ${invite.producer.lastName} (${invite.producer.npn})`;
      for (const c of invite.contracts.filter((x) => planned.some((p) => p.carrier === x.carrier && p.product === x.product))) {
        targets.push(target(invite.producer.npn, who, c.carrier, c.product, c.administrativeDivisions, c.source));
      }
    }
  }
  return targets;
}

export interface ReadinessOptions {
  level: Exclude<ReadinessLevel, 'off'>;
  /** Line of business → the line-of-authority categories that license it (any one suffices). */
  categories: Record<string, readonly string[]>;
  /** YYYY-MM-DD (UTC): a licence expiring before this day is expired. */
  today: string;
}

/** Findings for the targets: one per state, except that states where no licence is held at all are named together. */
export function checkReadiness(targets: readonly ReadinessTarget[], licences: readonly LicenceRecord[], options: ReadinessOptions): Diagnostic[] {
  const byNpnState = new Map<string, LicenceRecord[]>();
  for (const l of licences) {
    const key = `${l.npn}|${l.state.toUpperCase()}`;
    byNpnState.set(key, [...(byNpnState.get(key) ?? []), l]);
  }
  const categoriesOf = new Map(Object.entries(options.categories).map(([lob, list]) => [lob.toLowerCase(), new Set(list.map((c) => c.toLowerCase()))]));
  const out: Diagnostic[] = [];
  const unruled = new Map<string, SourceLocation | undefined>();
  const stateless = new Map<string, SourceLocation | undefined>();
  const severity: Severity = options.level;
  const hint = options.level === 'error'
    ? 'readiness.licenses is error: nothing is applied until the producer is licensed there (or the position leaves that state)'
    : 'the carrier rejects a contract in a state where the producer is not licensed; license the producer first, or narrow the position\'s states';
  for (const t of targets) {
    const wanted = categoriesOf.get(t.lineOfBusiness.toLowerCase());
    if (!wanted) {
      if (!unruled.has(t.lineOfBusiness)) unruled.set(t.lineOfBusiness, t.source);
      continue;
    }
    if (!t.states) {
      const product = quotedPath([t.carrier, t.product]);
      if (!stateless.has(product)) stateless.set(product, t.source);
      continue;
    }
    const noneHeld: string[] = [];
    const where = quotedPath([t.carrier, t.product]);
    for (const state of t.states) {
      const held = byNpnState.get(`${t.npn}|${state}`) ?? [];
      const problem = whyNotLicensed(held, wanted, options.today);
      if (problem === undefined) continue;
      if (problem === null) noneHeld.push(state);
      else out.push({ severity, message: `${t.producer} is not ready for ${where}: no active ${t.lineOfBusiness} licence in ${state}; ${problem}`, hint, ...(t.source ? { source: t.source } : {}) });
    }
    if (noneHeld.length > 0) {
      out.push({ severity, message: `${t.producer} is not ready for ${where}: no active ${t.lineOfBusiness} licence in ${noneHeld.join(', ')}; no licence held there`, hint, ...(t.source ? { source: t.source } : {}) });
    }
  }
  for (const [lob, source] of unruled) {
    out.push({ severity: 'warning', message: `licences not checked for line of business "${lob}": no line-of-authority rule for it`, hint: 'see LINE_OF_AUTHORITY_CATEGORIES in src/api/producersync.ts', ...(source ? { source } : {}) });
  }
  for (const [product, source] of stateless) {
    out.push({ severity: 'warning', message: `licences not checked for ${product}: neither the position nor the product declares states`, hint: 'declare administrativeDivisions on the product, or on the position', ...(source ? { source } : {}) });
  }
  return out;
}

/** undefined: licensed; null: no licence at all in the state; else what is wrong with the licences held. */
function whyNotLicensed(held: readonly LicenceRecord[], wanted: Set<string>, today: string): string | null | undefined {
  if (held.length === 0) return null;
  const matching = held.filter((l) => l.linesOfAuthority.some((loa) => wanted.has(loa.category.toLowerCase())));
  const expired = (l: LicenceRecord) => l.expirationDate !== undefined && l.expirationDate < today;
  if (matching.some((l) => l.active && !expired(l) && l.linesOfAuthority.some((loa) => loa.active && wanted.has(loa.category.toLowerCase())))) return undefined;
  if (matching.length === 0) {
    const categories = [...new Set(held.flatMap((l) => l.linesOfAuthority.map((loa) => loa.category)))].sort();
    return `the licence held there has no matching line of authority (holds ${categories.length ? categories.join(', ') : 'none'})`;
  }
  const lapsed = matching.filter(expired).map((l) => l.expirationDate!).sort();
  if (lapsed.length > 0) return `expired ${lapsed[lapsed.length - 1]}`;
  if (matching.some((l) => !l.active)) return 'licence inactive';
  return 'line of authority inactive';
}
