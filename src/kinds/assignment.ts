import { duplicateKey, quotedPath } from '../core/address.js';
import { valuesEqual } from '../core/compare.js';
import { error, warning } from '../core/diagnostics.js';
import { checkDeclaredHierarchy, checkHierarchy, checkOnDates, declaredLevels, declaredPositions, distinct, endedOn, findingKey, untilStatusName, type HierarchyCheck, type Position } from '../core/hierarchy-rules.js';
import { keys, prunes, type DesiredAssignment, type DesiredInviteContract } from '../core/desired.js';
import { liveRef, noop, terminate } from '../core/change.js';
import { comparatorsOf, liveViewOf, wireOf, type FieldSpec } from '../core/fields.js';
import type { LiveIndex } from '../core/live-index.js';
import type { LookupItem, RawObject } from '../core/live.js';
import type { Lookups } from '../core/lookups.js';
import { DEFAULT_TERMINATION_STATUS, isTerminal, TERMINAL_STATUSES } from '../core/statuses.js';
import { addressKey, type AddressKey, type Change, type FieldChange, type SourceLocation, type Value, type View } from '../core/types.js';
import { ASSIGNMENT_LIFECYCLE_FIELDS, carrierDeclared, planObject, type ObjectPlan, productPruned, undeclared, uplineDependency } from './common.js';
import { STATES, USER_DEFINED_FIELDS } from './fields.js';
import { ASSIGNMENT_LISTING, ASSIGNMENT_LIVE } from './assignment-live.js';
import { idOf, idOrRef, itemPath, pathOf, type KindContext, type KindModule } from '../core/kind.js';

export { ASSIGNMENT_LIFECYCLE_FIELDS };

const UPLINE = ASSIGNMENT_LIFECYCLE_FIELDS.upline;

/** The live upline NPN; an assignment that carries none (or an empty one) is a top position. */
export const liveUpline = (raw: RawObject): string | null => (typeof raw[UPLINE] === 'string' && raw[UPLINE] !== '' ? (raw[UPLINE] as string) : null);

/** Where the hierarchy rules and rosters find the terminal status names (one constant, in core). */
export { TERMINAL_STATUSES };
/** Read as they are (built once: liveView runs for every live assignment): the free-form fields and the ending. */
const READ_AS_IS: readonly FieldSpec[] = [...USER_DEFINED_FIELDS, { name: 'terminationReason', wire: ASSIGNMENT_LIFECYCLE_FIELDS.terminationReason }, { name: 'endDate', wire: ASSIGNMENT_LIFECYCLE_FIELDS.endDate }];

function liveView(ctx: KindContext, raw: RawObject): View {
  // Built field by field (no spread of partial objects): it runs for every live assignment.
  const view: View = { commissionLevel: ctx.index.parts('commissionLevel', raw.commissionLevelId)?.[2] ?? `(level id ${String(raw.commissionLevelId)})` };
  if (raw.assignmentStatusId !== undefined) view.status = ctx.lookups.nameOf(raw.assignmentStatusId) ?? `(status id ${String(raw.assignmentStatusId)})`;
  if (Array.isArray(raw.administrativeDivisions)) view.administrativeDivisions = raw.administrativeDivisions as string[];
  view.upline = liveUpline(raw);
  return liveViewOf(READ_AS_IS, raw, ctx.lookups, view);
}

/** An assignment's declared fields (its ending, sent only with a terminal status, aside): names, wire names and comparison. */
const FIELDS: readonly FieldSpec[] = [
  { name: 'commissionLevel', wire: 'commissionLevelId' }, { name: 'status', wire: 'assignmentStatusId' }, STATES, { name: 'upline', wire: UPLINE }, ...USER_DEFINED_FIELDS,
];

const COMPARATORS = comparatorsOf(FIELDS);

/** Config field → wire field of what an assignment passes through as declared (the level and status go by id; the API keeps what a PUT leaves out). */
const PASSED_THROUGH: Record<string, string> = Object.fromEntries(FIELDS.filter((f) => f.name !== 'commissionLevel' && f.name !== 'status').map((f) => [f.name, wireOf(f)]));

function passedThrough(fields: View): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f in PASSED_THROUGH) if (fields[f] !== undefined) out[PASSED_THROUGH[f]] = fields[f];
  return out;
}

/**
 * A contract of an invitation that already exists is a managed assignment like any other: its
 * level (and states) are compared; only the sending of the invitation is once-only.
 */
function fromInvites(ctx: KindContext): DesiredAssignment[] {
  // A contract that declares only its level shares one fields object with the others on that level (and so one desired view).
  const levelOnly = new Map<string, View>();
  const fieldsOf = (c: DesiredInviteContract): View => {
    if (c.administrativeDivisions || c.uplineNpn || Object.keys(c.userDefined).length > 0) {
      // Upline and userDefined too: declared, so never silently dropped (compared, or listed as unverified).
      return { commissionLevel: c.commissionLevel, ...(c.administrativeDivisions ? { administrativeDivisions: c.administrativeDivisions } : {}), ...(c.uplineNpn ? { upline: c.uplineNpn } : {}), ...c.userDefined };
    }
    let fields = levelOnly.get(c.commissionLevel);
    if (!fields) levelOnly.set(c.commissionLevel, (fields = { commissionLevel: c.commissionLevel }));
    return fields;
  };
  return ctx.desired.entries.invite.flatMap((invite) => invite.contracts
    .filter((c) => ctx.index.get('assignment', keys.assignment(invite.producer.npn, c.carrier, c.product)))
    .map((c): DesiredAssignment => ({
      npn: invite.producer.npn, carrier: c.carrier, product: c.product, statusPolicy: 'initial', fields: fieldsOf(c), fieldSources: c.fieldSources, source: c.source,
    })));
}

/** What ends a contract: a terminal status, its reason and its end date (SPEC §11). */
interface Ending {
  status: LookupItem;
  reason?: string;
  endDate: string;
}

/**
 * The `terminate` action: a PUT of the terminal status, reason and end date — one request per
 * contract (never batched), so each ending succeeds or fails on its own. The assignment stays.
 */
function terminateChange(o: { address: Change['address']; identity: Record<string, string>; live: RawObject; before: View; ending: Ending; dependsOn: string[]; notes: string[]; source?: SourceLocation }): Change {
  const { status, reason, endDate } = o.ending;
  const after: View = { ...o.before, status: status.name, ...(reason !== undefined ? { terminationReason: reason } : {}), endDate };
  const fields: FieldChange[] = Object.keys(after).filter((f) => !valuesEqual(after[f], o.before[f], 'exact')).map((f) => ({ field: f, before: o.before[f], after: after[f] }));
  const body: Record<string, Value> = { id: o.live.id, assignmentStatusId: status.id, [ASSIGNMENT_LIFECYCLE_FIELDS.endDate]: endDate };
  if (reason !== undefined) body[ASSIGNMENT_LIFECYCLE_FIELDS.terminationReason] = reason;
  return terminate({ address: o.address, identity: o.identity, dependsOn: o.dependsOn, notes: o.notes, source: o.source }, liveRef(o.live), o.before, after, fields,
    { api: 'agentsync', method: 'PUT', ...itemPath(ASSIGNMENT_LISTING, o.live.id), body });
}

/** A terminal status of the live list, by name (the prune setting or the default), or a located error. */
function terminalStatus(ctx: KindContext, name: string, at: SourceLocation | undefined): LookupItem | undefined {
  const item = ctx.lookups.resolve('assignmentStatuses', name, at, ctx.diagnostics);
  if (item && !isTerminal(item.name)) ctx.diagnostics.push(error(`assignment status "${name}" is ${item.name}, which is not a terminal status`, at, `use one of ${[...TERMINAL_STATUSES].join(', ')}`));
  return item && isTerminal(item.name) ? item : undefined;
}

function untilStatus(ctx: KindContext): LookupItem | undefined {
  const prune = ctx.desired.prune.terminate;
  return terminalStatus(ctx, prune?.status ?? DEFAULT_TERMINATION_STATUS, prune?.source);
}

/** What planning one declared assignment works from: its addresses, the resolved status and the live object in name-space. */
interface Declared {
  a: DesiredAssignment;
  address: Change['address'];
  identity: Record<string, string>;
  levelAddress: AddressKey;
  productAddress: AddressKey;
  status: LookupItem | undefined;
  live: RawObject | undefined;
  lv: View | undefined;
  desired: View;
  dependsOn: AddressKey[];
  liveTerminal: boolean;
  reason: string | undefined;
  endDate: Value | undefined;
}

/** The addresses a declared assignment refers to, and the dependencies of one without a new upline: the same for every producer on a level. */
interface LevelRefs { productAddress: AddressKey; levelAddress: AddressKey; dependsOn: AddressKey[] }

/** Per plan, by carrier, product and level: 100,000 assignments share a few dozen (built once, shared, never changed). */
const levelRefs = new WeakMap<KindContext, Map<string, Map<string, Map<string, LevelRefs>>>>();

function refsOf(ctx: KindContext, carrier: string, product: string, level: string): LevelRefs {
  let byCarrier = levelRefs.get(ctx);
  if (!byCarrier) levelRefs.set(ctx, (byCarrier = new Map()));
  let byProduct = byCarrier.get(carrier);
  if (!byProduct) byCarrier.set(carrier, (byProduct = new Map()));
  let byLevel = byProduct.get(product);
  if (!byLevel) byProduct.set(product, (byLevel = new Map()));
  let refs = byLevel.get(level);
  if (!refs) {
    const productAddress = addressKey({ kind: 'product', key: keys.product(carrier, product) });
    const levelAddress = addressKey({ kind: 'commissionLevel', key: keys.level(carrier, product, level) });
    byLevel.set(level, (refs = { productAddress, levelAddress, dependsOn: Object.freeze([productAddress, levelAddress]) as AddressKey[] }));
  }
  return refs;
}

/**
 * The desired view of an entry's fields (without its ending; with the resolved status name, and
 * `upline: null` when a live upline moves to the top). The NPNs of an `npns:` entry share one
 * fields object, so they share this view too (never changed once built).
 */
const desiredViews = new WeakMap<KindContext, WeakMap<View, { status: LookupItem | undefined; views: [View?, View?] }>>();

function desiredView(ctx: KindContext, declaredFields: View, status: LookupItem | undefined, toTop: boolean): View {
  let byFields = desiredViews.get(ctx);
  if (!byFields) desiredViews.set(ctx, (byFields = new WeakMap()));
  let known = byFields.get(declaredFields);
  if (!known || known.status !== status) byFields.set(declaredFields, (known = { status, views: [] }));
  const at = toTop ? 1 : 0;
  const view = known.views[at];
  if (view) return view;
  const { terminationReason, endDate, ...fields } = declaredFields;
  return (known.views[at] = { ...fields, ...(toTop ? { upline: null } : {}), ...(status ? { status: status.name } : {}) });
}

function declared(ctx: KindContext, a: DesiredAssignment): Declared {
  const key = keys.assignment(a.npn, a.carrier, a.product);
  const address = { kind: 'assignment' as const, key };
  const refs = refsOf(ctx, a.carrier, a.product, String(a.fields.commissionLevel));
  const { levelAddress, productAddress } = refs;
  const status = a.fields.status === undefined ? undefined : ctx.lookups.resolve('assignmentStatuses', String(a.fields.status), a.fieldSources.status, ctx.diagnostics);
  const [live, ...duplicates] = ctx.index.all('assignment', key) ?? [];
  if (duplicates.length > 0) {
    ctx.diagnostics.push(warning(`producer ${a.npn} has ${duplicates.length + 1} contract assignments on ${quotedPath([a.carrier, a.product])}; managing ${live.id}, the others are listed as unmanaged`, a.source));
    duplicates.forEach((d, i) => ctx.unmanaged.push({ address: { kind: 'assignment', key: duplicateKey(key, i + 2) }, liveId: d.id }));
  }
  const { terminationReason, endDate } = a.fields;
  const lv = live && liveView(ctx, live);
  // An entry without `upline` is a top position (SPEC §10): a live upline is then moved to the top.
  const desired = desiredView(ctx, a.fields, status, a.fields.upline === undefined && lv !== undefined && lv.upline !== null);
  const uplineKey = uplineDependency(ctx, typeof a.fields.upline === 'string' ? a.fields.upline : undefined, a.carrier, a.product);
  // The upline first: the text plan names the last new dependency ("under new commission level …").
  const dependsOn = uplineKey ? [uplineKey, productAddress, levelAddress] : refs.dependsOn;
  return { a, address, identity: { npn: a.npn, carrier: a.carrier, product: a.product }, levelAddress, productAddress, status, live, lv, desired, dependsOn,
    liveTerminal: lv !== undefined && isTerminal(lv.status as string | undefined), reason: terminationReason === undefined ? undefined : String(terminationReason), endDate };
}

/** An `until:` still ahead: the termination it brings is listed as scheduled. */
function scheduleUntil(ctx: KindContext, d: Declared): void {
  const { a, lv, desired, reason } = d;
  const ending = untilStatus(ctx);
  if (!ending) return;
  const before = lv ?? desired;
  const after: View = { ...before, status: ending.name, ...(reason !== undefined ? { terminationReason: reason } : {}), endDate: a.until! };
  ctx.scheduled.push({ date: a.until!, reason: 'until', address: d.address, identity: d.identity, action: 'terminate', before: lv ?? null, after,
    fields: Object.keys(after).filter((f) => !valuesEqual(after[f], before[f], 'exact')).map((f) => ({ field: f, before: lv?.[f], after: after[f] })), source: a.source });
}

/** A declared terminal status, or an `until:` that is due: the contract is ended (or already is). */
function planEnding(ctx: KindContext, d: Declared, endingStatus: LookupItem | undefined, untilDue: boolean): Change | undefined {
  const { a, live, lv } = d;
  if (!endingStatus) return undefined; // the status did not resolve: already reported
  if (!live || !lv) {
    ctx.diagnostics.push(warning(`producer ${a.npn} on ${quotedPath([a.carrier, a.product])} is declared ${untilDue ? `until ${a.until}` : endingStatus.name} but holds no contract assignment there: nothing to terminate, and none is created`, a.source));
    return undefined;
  }
  // After the plan it is in its live terminal status, as the config asks: no status moved on here.
  if (d.liveTerminal) return unchanged(d, `already ${String(lv.status)}: left as it is`, { status: lv.status });
  const endDate = d.endDate === undefined ? (untilDue ? a.until! : ctx.asOf) : String(d.endDate);
  return terminateChange({ address: d.address, identity: d.identity, live, before: lv, ending: { status: endingStatus, reason: d.reason, endDate }, dependsOn: d.dependsOn, notes: [], source: a.source });
}

/** Plans one declared assignment; its key joins `planned` (what planUndeclared leaves alone). */
function planDeclared(ctx: KindContext, a: DesiredAssignment, planned: Set<string>): Change | undefined {
  const d = declared(ctx, a);
  planned.add(d.address.key);
  const { status, live, lv, desired } = d;
  // A terminal status is enforced whatever statusPolicy says; `until:` is one from its date.
  const untilDue = a.until !== undefined && a.until <= ctx.asOf;
  if (a.until !== undefined && !untilDue && !d.liveTerminal) scheduleUntil(ctx, d);
  const endingStatus = status && isTerminal(status.name) ? status : untilDue ? untilStatus(ctx) : undefined;
  if (endingStatus || untilDue) return planEnding(ctx, d, endingStatus, untilDue);
  // A terminated contract is history: never revived (nor its level or states rewritten) unless the entry enforces a non-terminal status.
  if (live && lv && d.liveTerminal && !(a.statusPolicy === 'enforce' && status)) {
    return unchanged(d, `terminated (${String(lv.status)}${lv.endDate ? `, ended ${String(lv.endDate)}` : ''}): not revived — set a non-terminal status with statusPolicy: enforce to re-activate it`);
  }
  const notes: string[] = [];
  // After creation the status belongs to the contracting workflow: report progress, never revert it.
  let compared = desired;
  if (a.statusPolicy === 'initial' && status && lv && lv.status !== status.name) {
    compared = { ...desired };
    delete compared.status;
    notes.push(`status is ${String(lv.status)} (workflow progress since ${status.name}; not reverted — set statusPolicy: enforce to change it)`);
  }
  return planObject(ctx, { address: d.address, identity: d.identity, desired: compared, source: a.source, live, liveView: lv, comparators: COMPARATORS, dependsOn: d.dependsOn, notes,
    ...writes(ctx, d) });
}

/** The POST and PUT of a declared assignment, built only when there is something to write (most of a large book is unchanged). */
function writes(ctx: KindContext, d: Declared): Pick<ObjectPlan, 'create' | 'update'> {
  const { a, status, live, desired } = d;
  const levelId = () => idOrRef(ctx.index.get('commissionLevel', keys.level(a.carrier, a.product, String(a.fields.commissionLevel)))?.id, d.levelAddress);
  return {
    create: () => {
      const body: Record<string, Value> = { npn: a.npn, productId: idOrRef(ctx.index.get('product', keys.product(a.carrier, a.product))?.id, d.productAddress) as Value, commissionLevelId: levelId() as Value };
      if (status) body.assignmentStatusId = status.id;
      Object.assign(body, passedThrough(a.fields));
      return { api: 'agentsync', method: 'POST', ...pathOf`/v1/customers/contractAssignments`, body };
    },
    update: (changed) => {
      const update: Record<string, Value> = { id: live!.id, commissionLevelId: levelId() as Value };
      if (changed.includes('status') && status) update.assignmentStatusId = status.id;
      Object.assign(update, passedThrough(a.fields));
      // A position moved to the top: no upline in the config, so passedThrough sends none.
      if (changed.includes('upline')) update[UPLINE] = (desired.upline ?? null) as Value;
      return { api: 'agentsync', method: 'PUT', ...itemPath(ASSIGNMENT_LISTING, live!.id), body: update,
        batch: { key: 'PUT assignments', path: '/v1/customers/contractAssignments/bulk', refs: [], wrap: 'contractAssignments' } };
    },
  };
}

/** No change, said in a note: an ended contract left as it is. */
function unchanged(d: Declared, note: string, after: View = {}): Change {
  return noop({ address: d.address, identity: d.identity, dependsOn: d.dependsOn, notes: [note], source: d.a.source }, liveRef(d.live!), d.lv!, { ...d.desired, ...after });
}

/**
 * The live assignments the config does not declare. `declared`: the keys of the declared ones that
 * were planned — every assignment entry, and each invitation contract that exists live (the only
 * ones a live key can meet).
 */
function planUndeclared(ctx: KindContext, declared: ReadonlySet<string>): void {
  // Unmanaged must be complete, or say that it is not: a producer removed from the config would vanish silently.
  // (Only where unmanaged ones can exist: a live product of a declared carrier.)
  const unlisted = ctx.live.unlisted?.assignment;
  if (unlisted && [...ctx.index.entries('product')].some(([, [p]]) => carrierDeclared(ctx, ctx.index.parts('product', p.id)![0]))) {
    ctx.diagnostics.push(warning(`unmanaged contract assignments were not listed: ${unlisted}; assignments of producers not in the config are not shown`,
      undefined, 'enable prune.assignments to read the whole listing, or run `downline export` to see every assignment'));
  }
  for (const [key, list] of ctx.index.entries('assignment')) {
    const [, carrier, product] = ctx.index.parts('assignment', list[0].id)!;
    if (declared.has(key) || !carrierDeclared(ctx, carrier)) continue;
    const productGone = productPruned(ctx, carrier, product);
    const pruned = prunes(ctx.desired.prune, 'assignment') || productGone;
    // prune: { assignments: terminate } — ended, never deleted (unless its whole product is pruned).
    if (pruned && ctx.desired.prune.terminate && !productGone) {
      list.forEach((live, i) => pruneByTermination(ctx, { kind: 'assignment', key: i === 0 ? key : duplicateKey(key, i + 1) }, { npn: String(live.npn), carrier, product }, live));
      continue;
    }
    list.forEach((live, i) => undeclared(ctx, {
      address: { kind: 'assignment', key: i === 0 ? key : duplicateKey(key, i + 1) }, identity: { npn: String(live.npn), carrier, product },
      live, before: liveView(ctx, live), pruned, path: itemPath(ASSIGNMENT_LISTING, live.id),
      // An invitation is "sent" while its contract exists: after this delete, the same entry comes back as a new invitation.
      notes: [`if this contract returns to the config as an invitation, producer ${String(live.npn)} is invited (e-mailed) again`],
    }));
  }
}

function pruneByTermination(ctx: KindContext, address: Change['address'], identity: Record<string, string>, live: RawObject): void {
  const before = liveView(ctx, live);
  // Already ended: left alone (no churn), still listed as a live object the config does not declare.
  if (isTerminal(before.status as string | undefined)) return void ctx.unmanaged.push({ address, liveId: live.id });
  const terminate = ctx.desired.prune.terminate!;
  const status = terminalStatus(ctx, terminate.status, terminate.source);
  if (!status) return;
  ctx.changes.push(terminateChange({ address, identity, live, before, ending: { status, reason: terminate.reason, endDate: ctx.asOf }, dependsOn: [],
    notes: ['no longer in the config: terminated (prune.assignments: terminate), never deleted'] }));
}

/** Every live position (the first assignment of each `npn@carrier/product`) in name-space. */
export function livePositions(index: LiveIndex, lookups: Lookups): Map<string, Position> {
  const out = new Map<string, Position>();
  for (const [key, [live]] of index.entries('assignment')) {
    const [, carrier, product] = index.parts('assignment', live.id)!;
    const level = index.parts('commissionLevel', live.commissionLevelId)?.[2];
    const status = lookups.nameOf(live.assignmentStatusId);
    // Set field by field (no spread of partial objects): one per live assignment.
    const position: Position = { npn: String(live.npn), carrier, product, upline: liveUpline(live) };
    if (level !== undefined) position.level = level;
    if (Array.isArray(live.administrativeDivisions) && live.administrativeDivisions.length > 0) position.states = live.administrativeDivisions as string[];
    if (status) position.status = status;
    out.set(key, position);
  }
  return out;
}

/**
 * The hierarchy rules against the live account (SPEC §10): declared positions (with the live status
 * where the workflow owns it) plus live positions the config does not declare and the plan keeps.
 * Reports only what the offline check in `validate` could not see.
 */
function checkLiveHierarchy(ctx: KindContext): void {
  const declared = declaredPositions(ctx.desired);
  const levels = declaredLevels(ctx.desired);
  const levelOf: HierarchyCheck['levelOf'] = (carrier, product, level) => {
    const known = levels.get(keys.level(carrier, product, level));
    if (known) return known;
    const live = ctx.index.get('commissionLevel', keys.level(carrier, product, level));
    return live && { type: String(live.type ?? ''), ...(typeof live.firstYearValue === 'number' ? { firstYearValue: live.firstYearValue } : {}) };
  };
  const declaredKeys = declared.map((p) => keys.assignment(p.npn, p.carrier, p.product));
  const state: PlannedPositions = {
    declared, keys: declaredKeys, live: livePositions(ctx.index, ctx.lookups), endStatus: untilStatusName(ctx.desired),
    enforced: enforcedKeys(ctx.desired.entries.assignment, declaredKeys),
    deleted: new Set(ctx.changes.filter((c) => c.action === 'delete' && c.address.kind === 'assignment').map((c) => c.address.key)),
    // A position this plan terminates (declared terminal status, `until:` due, prune: terminate) counts with the status it ends in.
    ending: new Map(ctx.changes.filter((c) => c.action === 'terminate').map((c) => [c.address.key, String(c.after!.status)])),
  };
  const check = { levelOf, rules: ctx.desired.rules, complete: true };
  // The tree as declared, then on each day a dated entry changes it, from the plan's date on. The
  // plan's own date only differs from the tree as declared while an entry's effective date is ahead.
  const ahead = declared.flatMap((p) => [p.effective, p.until]).filter((d): d is string => d !== undefined && d > ctx.asOf);
  const dates = declared.some((p) => p.effective !== undefined && p.effective > ctx.asOf) ? [ctx.asOf, ...ahead] : ahead;
  const found = [...checkHierarchy({ ...check, positions: positionsOn(state, ctx.asOf, false) }), ...checkOnDates(check, dates, (date) => positionsOn(state, date, true))];
  if (found.length === 0) return;
  // What validate already reported (the rules over the declared positions alone) is not repeated.
  const offline = new Set(checkDeclaredHierarchy(ctx.desired).map(findingKey));
  ctx.diagnostics.push(...distinct(found).filter((d) => !offline.has(findingKey(d))));
}

/**
 * The keys of the entries with statusPolicy: enforce (the last entry of a key decides, as a map
 * would), from the keys of the declared positions — declaredPositions lists the assignment entries
 * first, in order. A set of the few, not a map of every entry.
 */
function enforcedKeys(entries: readonly DesiredAssignment[], keys: readonly string[]): Set<string> {
  const enforced = new Set<string>();
  entries.forEach((a, i) => (a.statusPolicy === 'enforce' ? enforced.add(keys[i]) : enforced.delete(keys[i])));
  return enforced;
}

interface PlannedPositions {
  declared: Position[];
  /** The address key of each declared position, in the same order. */
  keys: string[];
  live: Map<string, Position>;
  /** Keys whose entry enforces its status (statusPolicy: enforce); elsewhere the live status stands. */
  enforced: Set<string>;
  deleted: Set<string>;
  ending: Map<string, string>;
  endStatus: string;
}

/**
 * The positions on `date`: declared ones with the live status where the workflow owns it (or the
 * status this plan ends them in), plus the live positions the config does not declare and the plan
 * keeps. With `pending`, an entry whose `effective:` date is still ahead keeps its live upline until then.
 */
function positionsOn(s: PlannedPositions, date: string, pending: boolean): Position[] {
  const positions: Position[] = s.declared.map((p, i) => {
    const key = s.keys[i];
    const live = s.live.get(key);
    if (pending && live && p.effective !== undefined && p.effective > date && live.upline !== p.upline) {
      return { ...live, ...(p.source ? { source: p.source } : {}), pending: p.effective, ...(p.until ? { until: p.until } : {}) };
    }
    const status = s.ending.get(key) ?? (live?.status !== undefined && !s.enforced.has(key) && !isTerminal(p.status) ? live.status : p.status);
    return status === p.status ? p : { ...p, ...(status !== undefined ? { status } : {}) };
  });
  const seen = new Set(s.keys);
  for (const [key, p] of s.live) {
    if (!seen.has(key) && !s.deleted.has(key)) positions.push(s.ending.has(key) ? { ...p, status: s.ending.get(key)! } : p);
  }
  return endedOn(positions, date, s.endStatus);
}

export const assignmentKind: KindModule = {
  kind: 'assignment',
  title: 'Contract assignments',
  key: { parts: ['npn', 'carrier', 'product'], separators: '@/' },
  describe: (parts, suffix) => `assignment of ${parts[0]} on ${quotedPath(parts.slice(1), suffix)}`,
  noun: 'contract assignment',
  fields: FIELDS,
  ...ASSIGNMENT_LIVE,
  plan(ctx) {
    const declared = new Set<string>();
    for (const a of [...ctx.desired.entries.assignment, ...fromInvites(ctx)]) {
      const change = planDeclared(ctx, a, declared);
      if (change) ctx.changes.push(change);
    }
    planUndeclared(ctx, declared);
    checkLiveHierarchy(ctx);
  },
  createdId: idOf,
};
