import { error } from '../core/diagnostics.js';
import { ALL_DIVISIONS, emptyDesiredState, keys, USER_DEFINED, type DesiredInvite, type DesiredState, type Person } from '../core/desired.js';
import { DEFAULT_TERMINATION_STATUS, isTerminal, TERMINAL_STATUSES } from '../core/statuses.js';
import { fieldNames } from '../core/fields.js';
import type { Diagnostic, KindName, SourceLocation, View } from '../core/types.js';
import { KINDS, kindOf } from '../kinds/index.js';
import { HEALTHY, noUnknowns, type Health, type Unknowns } from './health.js';
import type { ParsedFile, Path } from './parse.js';

type Raw = Record<string, unknown>;

/** The fields each kind's entry declares (besides keys and children): its field spec's names. */
const declaredFields = (kind: KindName) => fieldNames(kindOf(kind).fields ?? []);
const [CARRIER_FIELDS, PRODUCT_FIELDS, LEVEL_FIELDS, ASSIGNMENT_FIELDS] = (['carrier', 'product', 'commissionLevel', 'assignment'] as const).map(declaredFields);
/** Fields compared as sets are kept sorted, so views and plans list them in one order. */
const SET_FIELDS = new Set(KINDS.flatMap((k) => (k.fields ?? []).filter((f) => f.compare === 'set').map((f) => f.name)));

/** The wire spelling of commission types is an API assumption; in name-space we show the capitalised word. */
function normalizeType(value: string): string {
  const lower = value.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

function fieldsOf(raw: Raw, names: string[], file: ParsedFile, path: Path) {
  const fields: View = {};
  const fieldSources: Record<string, SourceLocation> = {};
  for (const name of names) {
    if (!(name in raw)) continue;
    let value = raw[name] as View[string];
    if (name === 'administrativeDivisions' && value === 'all') value = [...ALL_DIVISIONS];
    if (SET_FIELDS.has(name) && Array.isArray(value)) value = [...(value as string[])].sort();
    if (name === 'type' && typeof value === 'string') value = normalizeType(value);
    fields[name] = value;
    fieldSources[name] = file.locate([...path, name]);
  }
  return { fields, fieldSources };
}

/** An assignment's ending, sent with a terminal status (SPEC §11); compared like any declared field. */
const LIFECYCLE_FIELDS = ['terminationReason', 'endDate'];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `effective:` of an entry, when it is a well-formed date (the schema reports any other value). */
function dated(raw: Raw): { effective?: string } {
  return typeof raw.effective === 'string' && DATE.test(raw.effective) ? { effective: raw.effective } : {};
}

/** What a schema cannot say about an assignment's ending: it goes with a terminal status. */
function lifecycleDiagnostics(entry: Raw, file: ParsedFile, path: Path): Diagnostic[] {
  const out: Diagnostic[] = [];
  const terminal = typeof entry.status === 'string' && isTerminal(entry.status);
  for (const field of LIFECYCLE_FIELDS) {
    // A reason also goes with `until:` (the termination it schedules).
    if (entry[field] !== undefined && !terminal && !(field === 'terminationReason' && entry.until !== undefined)) {
      out.push(error(`${field} is sent only with a terminal status, but ${typeof entry.status === 'string' ? `status is ${entry.status}` : 'the entry declares no status'}`, file.locate([...path, field]),
        `set status to one of ${[...TERMINAL_STATUSES].slice(0, 3).join(', ')}, … or use until: YYYY-MM-DD to terminate on a date`));
    }
  }
  if (typeof entry.until === 'string' && typeof entry.endDate === 'string') {
    out.push(error('an assignment takes until or endDate, not both', file.locate([...path, 'until']), 'until terminates on its date (endDate = that date); endDate goes with status: TERMINATED'));
  }
  if (typeof entry.until === 'string' && typeof entry.effective === 'string' && entry.until <= entry.effective) {
    out.push(error(`until ${entry.until} is not after effective ${entry.effective}`, file.locate([...path, 'until']), 'the contract must start before it ends'));
  }
  return out;
}

/** `prune.terminationStatus` must be terminal, and the termination settings go with `assignments: terminate`. */
function pruneDiagnostics(prune: Raw, file: ParsedFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (typeof prune.terminationStatus === 'string' && !isTerminal(prune.terminationStatus)) {
    out.push(error(`prune.terminationStatus "${prune.terminationStatus}" is not a terminal status`, file.locate(['prune', 'terminationStatus']),
      `use one of ${[...TERMINAL_STATUSES].join(', ')}`));
  }
  for (const key of ['terminationStatus', 'terminationReason']) {
    if (prune[key] !== undefined && prune.assignments !== 'terminate') {
      out.push(error(`prune.${key} applies only with assignments: terminate`, file.locate(['prune', key]), 'set prune.assignments: terminate, or remove it'));
    }
  }
  return out;
}

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The entries of a list; an entry that is not a mapping (a schema error already) reads as empty. */
function list(raw: Raw, key: string): Raw[] {
  return Array.isArray(raw[key]) ? (raw[key] as unknown[]).map((v) => (isRaw(v) ? v : {})) : [];
}

/** Where a file's broken values are, and which reference targets that leaves unknown. */
interface Context {
  file: ParsedFile;
  health: Health;
  unknowns: Unknowns;
}

function userDefined(raw: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of USER_DEFINED) if (typeof raw[name] === 'string') out[name] = raw[name] as string;
  return out;
}

/**
 * Turn parsed files into one desired state. Files are merged in the order given (sorted by the
 * loader); the single-valued blocks (`agency`, `prune`) may be declared in one file only. Objects
 * whose naming fields are broken (per `health`) are left out, and what they leave unknown is returned.
 */
export function toDesiredState(files: Array<{ file: ParsedFile; health?: Health }>): { state: DesiredState; unknowns: Unknowns; diagnostics: Diagnostic[] } {
  const state = emptyDesiredState();
  const unknowns = noUnknowns();
  const diagnostics: Diagnostic[] = [];
  const singles = new Map<string, SourceLocation>();
  const single = (name: string, file: ParsedFile): boolean => {
    const here = file.locate([name], true);
    const first = singles.get(name);
    if (first) {
      diagnostics.push(error(`"${name}" is declared twice`, here, `first declared at ${first.file}:${first.line}:${first.column}; keep one`));
      return false;
    }
    singles.set(name, here);
    return true;
  };

  for (const { file, health = HEALTHY } of files) {
    const root = isRaw(file.data) ? file.data : {};
    const ctx: Context = { file, health, unknowns };
    if (root.carriers !== undefined && health.incomplete([], 'carriers')) unknowns.carriers = true;
    if (root.agency && single('agency', file)) {
      if (health.unnamed(['agency'], ['organizationId', 'inviter'])) unknowns.agency = true;
      const agency = isRaw(root.agency) ? root.agency : {};
      state.agency = { organizationId: agency.organizationId as string | undefined, inviter: agency.inviter as Person | undefined, source: file.locate(['agency']) };
    }
    if (root.prune && single('prune', file)) {
      const prune = isRaw(root.prune) ? root.prune : {};
      const terminate = prune.assignments === 'terminate';
      state.prune = {
        kinds: { product: prune.products === true, commissionLevel: prune.commissionLevels === true, assignment: prune.assignments === true || prune.assignments === 'delete' || terminate },
        ...(terminate ? { terminate: {
          status: typeof prune.terminationStatus === 'string' ? prune.terminationStatus : DEFAULT_TERMINATION_STATUS,
          ...(typeof prune.terminationReason === 'string' ? { reason: prune.terminationReason } : {}),
          source: file.locate(['prune', typeof prune.terminationStatus === 'string' ? 'terminationStatus' : 'assignments']),
        } } : {}),
      };
      diagnostics.push(...pruneDiagnostics(prune, file));
    }
    if (root.readiness && single('readiness', file)) {
      const readiness = isRaw(root.readiness) ? root.readiness : {};
      state.readiness = { licenses: (readiness.licenses as 'error' | 'warning' | 'off' | undefined) ?? 'warning', source: file.locate(['readiness', ...(readiness.licenses ? ['licenses'] : [])]) };
    }
    if (root.rules && single('rules', file)) Object.assign(state.rules, root.rules as DesiredState['rules']);
    addCarriers(state, ctx, root);
    diagnostics.push(...addAssignments(state, ctx, root));
    diagnostics.push(...addInvites(state, ctx, root));
    addTurris(state, ctx, root);
  }
  return { state, unknowns, diagnostics };
}

function addCarriers(state: DesiredState, { file, health, unknowns }: Context, root: Raw): void {
  list(root, 'carriers').forEach((carrier, ci) => {
    const cPath = ['carriers', ci];
    if (health.unnamed(cPath, ['name'])) {
      unknowns.carriers = true;
      return;
    }
    const name = String(carrier.name);
    state.entries.carrier.push({ name, source: file.locate(cPath), ...dated(carrier), ...fieldsOf(carrier, CARRIER_FIELDS, file, cPath) });
    if (health.incomplete(cPath, 'products')) unknowns.products.add(name);
    list(carrier, 'products').forEach((product, pi) => {
      const pPath = [...cPath, 'products', pi];
      if (health.unnamed(pPath, ['name'])) {
        unknowns.products.add(name);
        return;
      }
      const pName = String(product.name);
      state.entries.product.push({ carrier: name, name: pName, source: file.locate(pPath), ...dated(product), ...fieldsOf(product, PRODUCT_FIELDS, file, pPath) });
      if (health.incomplete(pPath, 'commissionLevels')) unknowns.levels.add(keys.product(name, pName));
      list(product, 'commissionLevels').forEach((level, li) => {
        const lPath = [...pPath, 'commissionLevels', li];
        if (health.unnamed(lPath, ['name'])) {
          unknowns.levels.add(keys.product(name, pName));
          return;
        }
        state.entries.commissionLevel.push({ carrier: name, product: pName, name: String(level.name), source: file.locate(lPath), ...dated(level), ...fieldsOf(level, LEVEL_FIELDS, file, lPath) });
      });
    });
  });
}

function addAssignments(state: DesiredState, { file, health }: Context, root: Raw): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  list(root, 'assignments').forEach((entry, ai) => {
    const path = ['assignments', ai];
    if (health.unnamed(path, ['npn', 'npns', 'carrier', 'product', 'commissionLevel'])) return;
    const hasOne = typeof entry.npn === 'string';
    const many = Array.isArray(entry.npns) ? (entry.npns as string[]) : undefined;
    if (hasOne === Boolean(many)) {
      diagnostics.push(error(hasOne ? 'an assignment takes "npn" or "npns", not both' : 'an assignment needs "npn" (or "npns" for several producers)', file.locate(path), 'keep exactly one of npn / npns'));
      return;
    }
    const npns = many
      ? many.flatMap((npn, i) => (health.unnamed([...path, 'npns', i], []) ? [] : [{ npn, source: file.locate([...path, 'npns', i]) }]))
      : [{ npn: entry.npn as string, source: file.locate(path) }];
    // Every producer of an `npns:` list shares the entry's upline and states.
    const { fields, fieldSources } = fieldsOf(entry, [...ASSIGNMENT_FIELDS, ...LIFECYCLE_FIELDS], file, path);
    // A state code that is itself an error is reported once, not again by the hierarchy rules.
    if (Array.isArray(fields.administrativeDivisions)) fields.administrativeDivisions = fields.administrativeDivisions.filter((_, i) => !health.unnamed([...path, 'administrativeDivisions', i], []));
    diagnostics.push(...lifecycleDiagnostics(entry, file, path));
    // One entry's fields and their sources are shared by each of its NPNs (located once, not per NPN).
    const sources = { ...fieldSources, carrier: file.locate([...path, 'carrier']), product: file.locate([...path, 'product']) };
    for (const { npn, source } of npns) {
      state.entries.assignment.push({
        ...dated(entry),
        ...(typeof entry.until === 'string' ? { until: entry.until } : {}),
        npn,
        carrier: String(entry.carrier),
        product: String(entry.product),
        statusPolicy: entry.statusPolicy === 'enforce' ? 'enforce' : 'initial',
        fields,
        fieldSources: sources,
        source,
      });
    }
  });
  return diagnostics;
}

function addInvites(state: DesiredState, { file, health }: Context, root: Raw): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  list(root, 'invites').forEach((invite, ii) => {
    const path = ['invites', ii];
    if (health.unnamed(path, ['producer', 'producer.npn'])) return;
    // `upline` is the canonical spelling; `uplineNpn` (the API's field name) stays a synonym.
    list(invite, 'contracts').forEach((c, ci) => {
      if (c.upline !== undefined && c.uplineNpn !== undefined) {
        diagnostics.push(error('a contract takes "upline" or its synonym "uplineNpn", not both', file.locate([...path, 'contracts', ci, 'uplineNpn'], true), 'keep upline'));
      }
    });
    const producer = invite.producer as DesiredInvite['producer'];
    const named = (ci: number) => !health.unnamed([...path, 'contracts', ci], ['carrier', 'product', 'commissionLevel']);
    const contracts = list(invite, 'contracts').map((c, ci) => ({ c, ci })).filter(({ ci }) => named(ci)).map(({ c, ci }) => {
      const source = file.locate([...path, 'contracts', ci]);
      // A field the contract does not write is located at the contract: the same place, one object (100,000s of them).
      const at = (key: string) => (c[key] === undefined ? source : file.locate([...path, 'contracts', ci, key]));
      return {
        carrier: String(c.carrier),
        product: String(c.product),
        commissionLevel: String(c.commissionLevel),
        ...(c.administrativeDivisions === 'all' || Array.isArray(c.administrativeDivisions)
          ? { administrativeDivisions: c.administrativeDivisions === 'all' ? [...ALL_DIVISIONS] : [...(c.administrativeDivisions as string[])].sort() }
          : {}),
        ...(typeof (c.upline ?? c.uplineNpn) === 'string' ? { uplineNpn: String(c.upline ?? c.uplineNpn) } : {}),
        userDefined: userDefined(c),
        source,
        fieldSources: { carrier: at('carrier'), product: at('product'), commissionLevel: at('commissionLevel'), administrativeDivisions: at('administrativeDivisions'),
          upline: at(c.upline !== undefined ? 'upline' : 'uplineNpn') },
      };
    });
    state.entries.invite.push({
      ...dated(invite),
      producer,
      ...(invite.inviter ? { inviter: invite.inviter as Person } : {}),
      contracts,
      fields: { email: producer.email, contracts: contracts.map((c) => keys.product(c.carrier, c.product)) },
      fieldSources: { npn: file.locate([...path, 'producer', 'npn']) },
      source: file.locate(path),
    });
  });
  return diagnostics;
}

function addTurris(state: DesiredState, { file, health }: Context, root: Raw): void {
  const turris = isRaw(root.turris) ? root.turris : {};
  list(turris, 'invites').forEach((t, ti) => {
    const path = ['turris', 'invites', ti];
    if (health.unnamed(path, [typeof t.producerCode === 'string' ? 'producerCode' : 'contact.email', 'contact'])) return;
    const contact = t.contact as Person;
    const producerCode = t.producerCode as string | undefined;
    const { fields, fieldSources } = fieldsOf(t, ['downstreamEntityName', 'category', 'contractTemplate', 'preContractReview'], file, path);
    state.entries.turrisInvite.push({
      ...dated(t),
      key: producerCode ?? contact.email,
      downstreamEntityName: String(t.downstreamEntityName),
      category: String(t.category),
      contact,
      isNpnRequired: t.isNpnRequired !== false,
      ...(producerCode ? { producerCode } : {}),
      ...(typeof t.externalId === 'string' ? { externalId: t.externalId } : {}),
      ...(typeof t.parentProducerCode === 'string' ? { parentProducerCode: t.parentProducerCode } : {}),
      ...(typeof t.contractTemplate === 'string' ? { contractTemplate: t.contractTemplate } : {}),
      preContractReview: t.preContractReview === true,
      useInviteUrl: t.useInviteUrl === true,
      ...(t.customFieldValues ? { customFieldValues: t.customFieldValues as Record<string, string> } : {}),
      fields: { ...fields, email: contact.email },
      fieldSources: { ...fieldSources, producerCode: file.locate([...path, producerCode ? 'producerCode' : 'contact']) },
      source: file.locate(path),
    });
  });
}
