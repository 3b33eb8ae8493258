/**
 * The integrity rules of the hierarchy (SPEC §10) over positions — a producer on a product, with
 * its upline, level, states and status. Pure. `validate` runs them over the declared positions
 * (offline: an upline declared nowhere cannot be judged); `plan` runs them again with the live
 * positions added and reports what only the live account revealed.
 */
import { error, formatLocation, warning } from './diagnostics.js';
import { keys, type DesiredState, type HierarchyRule } from './desired.js';
import { DEFAULT_TERMINATION_STATUS, isTerminal } from './statuses.js';
import type { Diagnostic, SourceLocation } from './types.js';
import { quotedPath } from './address.js';

export interface Position {
  npn: string;
  carrier: string;
  product: string;
  upline: string | null;
  level?: string;
  states?: readonly string[];
  status?: string;
  /** Where it is declared (for `npns:`, the NPN's own place); absent for a live-only position. */
  source?: SourceLocation;
  uplineSource?: SourceLocation;
  /** The entry's `effective:` date (SPEC §12). */
  effective?: string;
  /** The entry's `until:` date: from it the position is terminated. */
  until?: string;
  /** Set when the status is the one `until:` gives: the date it ended. */
  ended?: string;
  /** The live position still standing before its entry's `effective:` date (this date): a move waits until then. */
  pending?: string;
}

export interface LevelValue {
  type?: string;
  firstYearValue?: number;
}

export interface HierarchyCheck {
  positions: readonly Position[];
  /** The commission level `name` of a product: its type and first-year value, if known. */
  levelOf(carrier: string, product: string, level: string): LevelValue | undefined;
  rules: DesiredState['rules'];
  /** True when the positions include the live account: only then is a missing upline an error. */
  complete: boolean;
}

/** The declared positions: assignments (each NPN of an `npns:` list) and invitation contracts. */
export function declaredPositions(desired: DesiredState): Position[] {
  // Set field by field (no spread of partial objects): one per declared producer, 100,000 in a large book.
  const out: Position[] = desired.entries.assignment.map((a) => {
    const p: Position = { npn: a.npn, carrier: a.carrier, product: a.product, upline: typeof a.fields.upline === 'string' ? a.fields.upline : null, level: String(a.fields.commissionLevel) };
    if (Array.isArray(a.fields.administrativeDivisions)) p.states = a.fields.administrativeDivisions as string[];
    if (typeof a.fields.status === 'string') p.status = a.fields.status;
    p.source = a.source;
    if (a.fieldSources.upline) p.uplineSource = a.fieldSources.upline;
    if (a.effective) p.effective = a.effective;
    if (a.until) p.until = a.until;
    return p;
  });
  for (const invite of desired.entries.invite) {
    for (const c of invite.contracts) {
      const p: Position = { npn: invite.producer.npn, carrier: c.carrier, product: c.product, upline: c.uplineNpn ?? null, level: c.commissionLevel };
      if (c.administrativeDivisions) p.states = c.administrativeDivisions;
      p.source = c.source;
      if (c.uplineNpn && c.fieldSources.upline) p.uplineSource = c.fieldSources.upline;
      if (invite.effective) p.effective = invite.effective;
      out.push(p);
    }
  }
  return out;
}

/** Type and first-year value of the declared commission levels. */
export function declaredLevels(desired: DesiredState): Map<string, LevelValue> {
  return new Map(desired.entries.commissionLevel.map((l) => [keys.level(l.carrier, l.product, l.name), {
    ...(typeof l.fields.type === 'string' ? { type: l.fields.type } : {}),
    ...(typeof l.fields.firstYearValue === 'number' ? { firstYearValue: l.fields.firstYearValue } : {}),
  }]));
}

const on = (p: Position) => quotedPath([p.carrier, p.product]);

/** Every finding of the five rules, at the level `rules` gives each (`off` reports nothing). */
export function checkHierarchy(check: HierarchyCheck): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (Object.values(check.rules).every((level) => level === 'off')) return out;
  const report: Report = (rule, at, message, hint) => {
    const level = check.rules[rule];
    if (level === 'off' || !at) return;
    out.push({ ...(level === 'error' ? error : warning)(`${message} [${rule}]`, at, hint) });
  };
  const byProduct = new Map<string, Map<string, Position>>();
  for (const p of check.positions) {
    const key = keys.product(p.carrier, p.product);
    let map = byProduct.get(key);
    if (!map) byProduct.set(key, (map = new Map()));
    // A position declared twice is reported by the duplicate rule; the first one stands.
    if (!map.has(p.npn)) map.set(p.npn, p);
  }
  for (const positions of byProduct.values()) {
    // Levels by name for this product: most positions share a few levels.
    const levelCache = new Map<string, LevelValue | undefined>();
    const levelOf = (p: Position) => {
      if (!p.level) return undefined;
      if (!levelCache.has(p.level)) levelCache.set(p.level, check.levelOf(p.carrier, p.product, p.level));
      return levelCache.get(p.level);
    };
    for (const p of positions.values()) {
      if (p.upline === null || p.upline === p.npn) continue;
      const up = positions.get(p.upline);
      if (!up) {
        if (check.complete) {
          report('uplineExists', p.source, `upline ${p.upline} of producer ${p.npn} holds no contract assignment on ${on(p)}, declared or live`,
            `declare an assignment of ${p.upline} on that product (or invite them), or correct the upline`);
        }
        continue;
      }
      // A live-only position under a declared one is reported at the declared one.
      const at = p.source ?? up.source;
      checkLevels(p, up, levelOf(p), levelOf(up), at, report);
      if (p.states && up.states && up.states.length > 0) {
        const outside = p.states.filter((s) => !up.states!.includes(s));
        if (outside.length > 0) {
          report('statesWithinUpline', at, `producer ${p.npn} covers ${outside.join(', ')} on ${on(p)}, which its upline ${p.upline} does not cover (${up.states.join(', ')})`,
            `remove ${outside.join(', ')} from ${p.npn}, or add them to ${p.upline}`);
        }
      }
      checkStatus(p, up, at, report);
    }
    reportCycles(positions, report);
  }
  return out;
}

type Report = (rule: HierarchyRule, at: SourceLocation | undefined, message: string, hint: string) => void;

/** Each cycle once, at its earliest declared member, told from there round. */
function reportCycles(positions: Map<string, Position>, report: Report): void {
  for (const cycle of cycles(positions)) {
    const first = cycle.reduce((a, b) => (earlier(b.source, a.source) ? b : a));
    const start = cycle.indexOf(first);
    const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
    const chain = [...ordered, ordered[0]].map((p) => p.npn).join(' → ');
    report('noCycles', first.source,
      ordered.length === 1 ? `producer ${first.npn} is its own upline on ${on(first)}` : `upline cycle on ${on(first)}: ${chain} (each producer's upline is the next)`,
      `give one of ${ordered.map((p) => p.npn).join(', ')} another upline, or none (a top position)`);
  }
}

function checkStatus(p: Position, up: Position, at: SourceLocation | undefined, report: Report): void {
  if (isTerminal(p.status) || !isTerminal(up.status)) return;
  const ends = up.ended ? ` from ${up.ended} (until:)` : '';
  if (p.pending) {
    report('activeUnderTerminated', at, `producer ${p.npn} stays active under ${p.upline} until its entry takes effect on ${p.pending}, and the position of ${p.upline} on ${on(p)} is ${up.status}${ends}`,
      `make the change of ${p.npn} effective by the time ${p.upline} ends, or end ${p.upline} later`);
    return;
  }
  report('activeUnderTerminated', at, `producer ${p.npn} is active under ${p.upline}${p.effective ? ` from ${p.effective}` : ''}, whose position on ${on(p)} is ${up.status}${ends}`,
    `move ${p.npn} to another upline (or to the top), or terminate it too`);
}

function checkLevels(p: Position, up: Position, mine: LevelValue | undefined, theirs: LevelValue | undefined, at: SourceLocation | undefined, report: Report): void {
  if (mine?.firstYearValue === undefined || theirs?.firstYearValue === undefined) return;
  // Only levels of one type compare: 80 percent and 80 dollars say nothing about each other.
  if ((mine.type ?? '').toLowerCase() !== (theirs.type ?? '').toLowerCase()) return;
  if (mine.firstYearValue > theirs.firstYearValue) {
    report('levelNotAboveUpline', at, `producer ${p.npn}'s commission level "${p.level}" (${mine.firstYearValue}) pays more than the level "${up.level}" (${theirs.firstYearValue}) of its upline ${up.npn} on ${on(p)}`,
      `give ${p.npn} a level paying at most ${theirs.firstYearValue}, or move it under an upline paid more`);
  }
}

/** Declared places sort by file, line, column; a live-only position comes last. */
function earlier(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  if (!a) return false;
  if (!b) return true;
  return a.file !== b.file ? a.file < b.file : a.line !== b.line ? a.line < b.line : a.column < b.column;
}

/** Each upline cycle once, members in upline order; only cycles with a declared member. */
function cycles(positions: Map<string, Position>): Position[][] {
  const state = new Map<string, 'open' | 'done'>();
  const found: Position[][] = [];
  for (const start of positions.values()) {
    if (state.has(start.npn)) continue;
    const path: Position[] = [];
    let p: Position | undefined = start;
    while (p && !state.has(p.npn)) {
      state.set(p.npn, 'open');
      path.push(p);
      p = p.upline === null ? undefined : positions.get(p.upline);
    }
    if (p && state.get(p.npn) === 'open') {
      const cycle = path.slice(path.indexOf(p));
      if (cycle.some((m) => m.source)) found.push(cycle);
    }
    for (const q of path) state.set(q.npn, 'done');
  }
  return found;
}

/** Stable identity of a finding: plan reports only what validate did not. */
export const findingKey = (d: Diagnostic): string => `${d.source ? formatLocation(d.source) : ''}|${d.message}`;

/** The status an `until:` gives (SPEC §12): prune's termination status, or the default. */
export const untilStatusName = (desired: DesiredState): string => desired.prune.terminate?.status ?? DEFAULT_TERMINATION_STATUS;

/** The positions on `date`: one whose `until:` is on or before it is terminated from that day. */
export function endedOn(positions: readonly Position[], date: string, status: string): Position[] {
  return positions.map((p) => (p.until !== undefined && p.until <= date ? { ...p, ended: p.until, ...(isTerminal(p.status) ? {} : { status }) } : p));
}

/**
 * `activeUnderTerminated` on each of `dates` (SPEC §10, §12): a dated entry changes the hierarchy on
 * its day, so the rule holds on every such day, not only for the final tree — a move under a
 * position that ends first, or a termination while a downline's move away still waits, breaks it.
 */
export function checkOnDates(check: Omit<HierarchyCheck, 'positions'>, dates: Iterable<string>, positionsOn: (date: string) => readonly Position[]): Diagnostic[] {
  const off = Object.fromEntries(Object.keys(check.rules).map((rule) => [rule, 'off'])) as DesiredState['rules'];
  const rules = { ...off, activeUnderTerminated: check.rules.activeUnderTerminated };
  return [...new Set(dates)].sort().flatMap((date) => checkHierarchy({ ...check, rules, positions: positionsOn(date) }));
}

/** Each finding once (the same one found on several dates). */
export function distinct(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => !seen.has(findingKey(d)) && Boolean(seen.add(findingKey(d))));
}

/** The rules over the declared positions alone (validate, offline): the final tree, and each `until:` day. */
export function checkDeclaredHierarchy(desired: DesiredState): Diagnostic[] {
  const levels = declaredLevels(desired);
  const check = { levelOf: (c: string, p: string, l: string) => levels.get(keys.level(c, p, l)), rules: desired.rules, complete: false };
  const positions = declaredPositions(desired);
  const status = untilStatusName(desired);
  const dates = positions.flatMap((p) => (p.until ? [p.until] : []));
  return distinct([...checkHierarchy({ ...check, positions }), ...checkOnDates(check, dates, (date) => endedOn(positions, date, status))]);
}
