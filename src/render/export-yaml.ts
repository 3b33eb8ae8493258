import { Document, isMap, isSeq, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { escapeLiteral } from '../config/interpolate.js';
import { quotedPath } from '../core/address.js';
import { USER_DEFINED } from '../core/desired.js';
import { warning } from '../core/diagnostics.js';
import { exportedFields, unreadFields } from '../core/fields.js';
import { liveObjectsOf } from '../core/kind.js';
import { LiveIndex } from '../core/live-index.js';
import type { LiveSnapshot, RawObject } from '../core/live.js';
import { Lookups } from '../core/lookups.js';
import { liveUpline } from '../kinds/assignment.js';
import { KINDS, kindOf } from '../kinds/index.js';
import type { Diagnostic, KindName } from '../core/types.js';
import { hasControls, visible, yamlText } from './escape.js';

const byName = (a: RawObject, b: RawObject) => String(a.name).localeCompare(String(b.name));

/**
 * Live account → YAML in the config language that plans clean against the same account: lookup
 * ids back to names, commission types normalised, assignments sharing a contract grouped into the
 * `npns:` form, deterministic order, a comment with each object's id. What the language cannot
 * express is reported, never dropped silently.
 */
export function exportYaml(live: LiveSnapshot, options: { schemaPath?: string } = {}): { text: string; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const lookups = new Lookups(live.lookups);
  const index = new LiveIndex(live, KINDS);
  const name = (id: unknown, what: string, owner: string): string | undefined => {
    if (id === undefined || id === null) return undefined;
    const found = lookups.nameOf(id);
    if (!found) warnings.push({ ...warning(`${owner}: unknown ${what} id ${String(id)}; left out`) });
    return found;
  };
  /** An object's declared fields as its kind's field spec exports them (`owner` names it in warnings). */
  const fieldsOf = (kind: KindName, raw: RawObject, owner: string) => exportedFields(kindOf(kind).fields ?? [], raw, { lookups, name: (id, what) => name(id, what, owner) });
  const ids: Array<{ path: Array<string | number>; id: string }> = [];
  const seen = new Set<string>();
  const unique = (key: string, what: string): boolean => {
    if (seen.has(key)) {
      warnings.push(warning(`${what} appears twice in the account; the config can hold it once (keys must be unique), so only the first is exported`));
      return false;
    }
    seen.add(key);
    return true;
  };

  const carriers = [...live.objects.carrier].sort(byName).filter((c) => unique(`c:${c.name}`, `carrier "${c.name}"`)).map((c, ci) => {
    ids.push({ path: ['carriers', ci], id: c.id });
    const productName = (p: RawObject) => `product ${quotedPath([String(c.name), String(p.name)])}`;
    const products = live.objects.product.filter((p) => p.carrierId === c.id).sort(byName).filter((p) => unique(`p:${c.id}/${p.name}`, productName(p))).map((p, pi) => {
      ids.push({ path: ['carriers', ci, 'products', pi], id: p.id });
      const levelName = (l: RawObject) => `commission level ${quotedPath([String(p.name), String(l.name)])}`;
      const levels = live.objects.commissionLevel.filter((l) => l.productId === p.id).sort(byName).filter((l) => unique(`l:${p.id}/${l.name}`, levelName(l))).map((l, li) => {
        ids.push({ path: ['carriers', ci, 'products', pi, 'commissionLevels', li], id: l.id });
        return { name: l.name, ...fieldsOf('commissionLevel', l, levelName(l)) };
      });
      return { name: p.name, ...fieldsOf('product', p, productName(p)), ...(levels.length ? { commissionLevels: levels } : {}) };
    });
    return { name: c.name, ...fieldsOf('carrier', c, `carrier "${c.name}"`), ...(products.length ? { products } : {}) };
  });

  // One entry per contract (carrier, product, level, status, states, upline, userDefined); several producers on it become `npns:`.
  const groups = new Map<string, { carrier: string; product: string; commissionLevel: string; status?: string; npns: string[] }>();
  for (const a of [...live.objects.assignment].sort((x, y) => String(x.npn).localeCompare(String(y.npn)))) {
    const [carrierName, productName] = index.parts('product', a.productId) ?? [];
    const product = productName === undefined ? undefined : { carrier: carrierName, name: productName };
    const level = index.parts('commissionLevel', a.commissionLevelId)?.[2];
    if (!product || level === undefined) {
      warnings.push(warning(`assignment ${a.id} of ${a.npn}: its ${product ? 'commission level' : 'product'} is not in the exported account; left out`));
      continue;
    }
    if (!unique(`a:${a.npn}/${a.productId}`, `the contract of ${a.npn} on ${quotedPath([product.carrier, product.name])}`)) continue;
    const status = name(a.assignmentStatusId, 'assignment status', `assignment ${a.id}`);
    // The level, status and upline are the group's own columns: only states and userDefined come from the spec here.
    const { commissionLevel: _level, status: _status, upline: _upline, administrativeDivisions, ...userDefined } = fieldsOf('assignment', a, `assignment ${a.id}`);
    const position = { ...(administrativeDivisions !== undefined ? { administrativeDivisions } : {}), ...(liveUpline(a) ? { upline: liveUpline(a)! } : {}), ...userDefined };
    const key = JSON.stringify([product.carrier, product.name, level, status ?? '', position]);
    const group = groups.get(key) ?? { carrier: product.carrier, product: product.name, commissionLevel: level, ...(status ? { status } : {}), ...position, npns: [] };
    group.npns.push(String(a.npn));
    groups.set(key, group);
  }
  const assignments = [...groups.values()].sort((x, y) => [x.carrier, x.product, x.commissionLevel].join('/').localeCompare([y.carrier, y.product, y.commissionLevel].join('/')))
    .map(({ npns, ...rest }) => (npns.length === 1 ? { npn: npns[0], ...rest } : { npns, ...rest }));

  warnings.push(...notExported(live));
  // Live text is data: a name containing `${env:…}` must stay literal when the file is read back.
  const doc = new Document(escapeStrings({ version: 1, carriers, ...(assignments.length ? { assignments } : {}), ...sections(live, lookups, name) }));
  for (const { path, id } of ids) {
    const node = doc.getIn(path, true) as YAMLMap | undefined;
    if (node) node.commentBefore = ` id: ${visible(id)}`;
  }
  for (const seq of [doc.getIn(['carriers'], true), doc.getIn(['assignments'], true)]) if (isSeq(seq)) (seq as YAMLSeq).flow = false;
  flowShortLists(doc.contents);
  const header = `${options.schemaPath ? `# yaml-language-server: $schema=${options.schemaPath}\n` : ''}# Exported by downline from the live account. Review, commit, and plan: it should show no changes.\n`;
  return { text: header + yamlText(doc.toString({ lineWidth: 0, doubleQuotedAsJSON: true })), warnings };
}

function escapeStrings<T>(value: T): T {
  // Controls go double-quoted, where `yamlText` can write them as escapes (never raw to a terminal).
  if (typeof value === 'string') return (hasControls(value) ? Object.assign(new Scalar(escapeLiteral(value)), { type: Scalar.QUOTE_DOUBLE }) : escapeLiteral(value)) as T;
  if (Array.isArray(value)) return value.map(escapeStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)])) as T;
  return value;
}

/** The sections of kinds exported on their own (registered beside the built-ins), after the built-in ones. */
function sections(live: LiveSnapshot, lookups: Lookups, name: (id: unknown, what: string, owner: string) => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of KINDS) {
    const section = kind.exportSection;
    const objects = liveObjectsOf(kind, live);
    if (!section || objects.length === 0) continue;
    out[section.name] = section.entries(objects, { lookups, name: (id, what) => name(id, what, kind.noun) });
  }
  return out;
}

/**
 * What the export cannot write, said once each: fields no live object of a kind carries (the API
 * does not read them back, or none is set), Turris invitations, and invitations' producer details.
 */
function notExported(live: LiveSnapshot): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of KINDS) {
    const objects = liveObjectsOf(kind, live);
    if (!kind.fields || objects.length === 0) continue;
    const what = kind.noun;
    const missing = unreadFields(kind.fields, objects);
    if (missing.length === 0) continue;
    const shown = missing.every((f) => !USER_DEFINED.includes(f)) || !USER_DEFINED.every((f) => missing.includes(f))
      ? missing : [...missing.filter((f) => !USER_DEFINED.includes(f)), 'userDefined1..10'];
    out.push(warning(`no live ${what} carries ${shown.join(', ')}: the API does not read ${missing.length === 1 ? 'it' : 'them'} back (or none is set), so the export cannot write ${missing.length === 1 ? 'it' : 'them'}`, undefined,
      'add values by hand to manage them; plans list such declared fields as not verified'));
  }
  // Said only when the account holds Turris associations (or they could not be read): otherwise there is nothing left out.
  if (!live.objects.turrisInvite || live.objects.turrisInvite.length > 0) {
    out.push(warning('Turris invitations are not exported: downline reads Turris associations only to find an invitation by its key, and an existing association already satisfies one', undefined,
      'declare turris.invites by hand for the downstream entities you still want to invite'));
  }
  if (live.objects.assignment.length > 0) {
    out.push(warning('invitations are exported as the contract assignments they created: a producer\'s e-mail and name are not part of an assignment', undefined,
      'keep an invites entry only for producers still to be invited'));
  }
  return out;
}

/** Lists of scalars (npns, state codes) read best on one line. */
function flowShortLists(node: unknown): void {
  if (isMap(node)) for (const pair of node.items) flowShortLists(pair.value);
  if (isSeq(node)) {
    if (node.items.every((i) => !isMap(i) && !isSeq(i))) node.flow = true;
    else for (const item of node.items) flowShortLists(item);
  }
}
