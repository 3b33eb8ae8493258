import { keys, type DesiredState } from './desired.js';
import { addressKey, type AddressKey, type Change, type ScheduledChange } from './types.js';

/** A calendar date YYYY-MM-DD (UTC); `DOWNLINE_AS_OF` and `--as-of` are checked against it. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a YYYY-MM-DD string names a real day (2027-02-30 does not). */
export function isRealDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Every declared entry's `effective:` date (and its assignments' `until:`), by address key. */
export function entryDates(desired: DesiredState): { effective: Map<AddressKey, string>; until: Map<AddressKey, string> } {
  const effective = new Map<AddressKey, string>();
  const until = new Map<AddressKey, string>();
  // Keys are built only for dated entries (`key` is called only then): most of a large book has no date.
  const put = (kind: Change['address']['kind'], key: () => string, date: string | undefined) => void (date && effective.set(addressKey({ kind, key: key() }), date));
  for (const c of desired.entries.carrier) put('carrier', () => keys.carrier(c.name), c.effective);
  for (const p of desired.entries.product) put('product', () => keys.product(p.carrier, p.name), p.effective);
  for (const l of desired.entries.commissionLevel) put('commissionLevel', () => keys.level(l.carrier, l.product, l.name), l.effective);
  for (const a of desired.entries.assignment) {
    if (a.effective) put('assignment', () => keys.assignment(a.npn, a.carrier, a.product), a.effective);
    if (a.until) until.set(addressKey({ kind: 'assignment', key: keys.assignment(a.npn, a.carrier, a.product) }), a.until);
  }
  for (const i of desired.entries.invite) {
    if (!i.effective) continue;
    put('invite', () => keys.invite(i.producer.npn), i.effective);
    // An invitation's date covers the contracts it manages once they exist.
    for (const c of i.contracts) put('assignment', () => keys.assignment(i.producer.npn, c.carrier, c.product), i.effective);
  }
  for (const t of desired.entries.turrisInvite) put('turrisInvite', () => t.key, t.effective);
  return { effective, until };
}

const scheduledOf = (change: Change, date: string, reason: ScheduledChange['reason']): ScheduledChange => ({
  date, reason, address: change.address, identity: change.identity, action: change.action as ScheduledChange['action'],
  before: change.before, after: change.after!, fields: change.fields, ...(change.source ? { source: change.source } : {}),
});

/**
 * SPEC §12: a create, update or termination of an entry whose `effective:` date is after `asOf`
 * waits — and so does whatever needs an object it would create (a level of a product that starts
 * in January starts in January too). Deletes and no-ops are never scheduled.
 */
export function splitScheduled(changes: Change[], desired: DesiredState, asOf: string): { changes: Change[]; scheduled: ScheduledChange[] } {
  const { effective } = entryDates(desired);
  // Nothing dated: nothing waits (and no key of a large book's changes is built to find that out).
  if (effective.size === 0) return { changes, scheduled: [] };
  const waiting = new Map<AddressKey, string>();
  for (const c of changes) {
    const date = effective.get(addressKey(c.address));
    if (date && date > asOf && c.action !== 'noop' && c.action !== 'delete') waiting.set(addressKey(c.address), date);
  }
  // Dependents of a scheduled create wait for the latest date in their chain.
  const creates = new Set(changes.filter((c) => c.action === 'create').map((c) => addressKey(c.address)));
  for (let grew = waiting.size > 0; grew;) {
    grew = false;
    for (const c of changes) {
      const key = addressKey(c.address);
      if (c.action === 'noop' || c.action === 'delete') continue;
      const parentDates = c.dependsOn.filter((d) => waiting.has(d) && creates.has(d)).map((d) => waiting.get(d)!);
      if (parentDates.length === 0) continue;
      const date = [...parentDates, waiting.get(key) ?? ''].sort().at(-1)!;
      if (waiting.get(key) !== date) {
        waiting.set(key, date);
        grew = true;
      }
    }
  }
  return {
    changes: changes.filter((c) => !waiting.has(addressKey(c.address))),
    scheduled: changes.filter((c) => waiting.has(addressKey(c.address))).map((c) => scheduledOf(c, waiting.get(addressKey(c.address))!, 'effective')),
  };
}

/**
 * `--only-due`: the changes of entries whose `effective:` or `until:` date has come (on or before
 * `asOf`) — what the daily job applies; everything else is drift, reported by the other check.
 * What waits with a dated create comes due with it: the undated product, levels and contracts of a
 * carrier effective on a date were listed as scheduled for that date, so on it they are due too.
 */
export function dueAddresses(changes: Change[], desired: DesiredState, asOf: string): AddressKey[] {
  const { effective, until } = entryDates(desired);
  const own = changes.map((c) => addressKey(c.address)).filter((key) => {
    const date = effective.get(key) ?? until.get(key);
    const end = until.get(key);
    return (date !== undefined && date <= asOf) || (end !== undefined && end <= asOf);
  });
  // Each change's date as if no date had come yet: its own, or the one it waits for with a create.
  const withCreates = splitScheduled(changes, desired, BEFORE_ANY_DATE).scheduled.filter((s) => s.date <= asOf).map((s) => addressKey(s.address));
  return [...new Set([...own, ...withCreates])];
}

/** Earlier than every YYYY-MM-DD: as of it, every dated entry still waits. */
const BEFORE_ANY_DATE = '0000-00-00';
