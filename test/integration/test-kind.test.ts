import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/api/client.js';
import { discover } from '../../src/api/discover.js';
import { applyPlan } from '../../src/core/apply-plan.js';
import { computePlan } from '../../src/core/compute-plan.js';
import { emptyDesiredState, entriesOf, prunes, type DesiredEntry, type DesiredState } from '../../src/core/desired.js';
import { comparatorsOf, declaredWrite, exportedFields, liveViewOf, type FieldSpec } from '../../src/core/fields.js';
import { idOf, keyOf, liveObjectsOf, pathOf, type KindModule } from '../../src/core/kind.js';
import { EMPTY_LOOKUPS, emptyObjects, type LiveSnapshot, type RawObject } from '../../src/core/live.js';
import type { ApiPort, ResolvedOperation } from '../../src/core/ports.js';
import { planObject, undeclared } from '../../src/kinds/common.js';
import { KINDS, registerKind } from '../../src/kinds/index.js';
import { exportYaml } from '../../src/render/export-yaml.js';
import { planDocument, renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { createStyle } from '../../src/render/style.js';
import { startEmulator } from '../helpers/emulator.js';
import { ROOT } from '../helpers/run.js';

// ── The whole kind: one module and its registration. Nothing under src/ knows it. ──

/** A gadget: a flat list at /v1/gadgets, keyed by name; `tags` is written but never read back. */
const FIELDS: FieldSpec[] = [{ name: 'colour', readBack: true }, { name: 'size', compare: 'number', readBack: true }, { name: 'tags', compare: 'set' }];
const identityOf = (o: RawObject) => ({ gadget: String(o.name) });

const gadgetKind: KindModule = {
  kind: 'gadget',
  title: 'Gadgets',
  noun: 'gadget',
  key: { parts: ['gadget'] },
  fields: FIELDS,
  index: { parts: (o) => [String(o.name)], duplicates: 'ambiguous' },
  declaredParts: (e) => [(e as DesiredEntry).identity.gadget],
  plan(ctx) {
    const entries = entriesOf(ctx.desired, 'gadget');
    for (const e of entries) {
      const key = keyOf(gadgetKind, e.identity);
      const found = ctx.index.get('gadget', key);
      const { view, body } = declaredWrite(FIELDS, e.fields, ctx, e.fieldSources, { name: e.identity.gadget });
      ctx.changes.push(planObject(ctx, {
        address: { kind: 'gadget', key }, identity: e.identity, desired: view, source: e.source, live: found,
        liveView: found && liveViewOf(FIELDS, found, ctx.lookups), comparators: comparatorsOf(FIELDS), dependsOn: [],
        create: () => ({ api: 'agentsync', method: 'POST', ...pathOf`/v1/gadgets`, body }),
        update: () => ({ api: 'agentsync', method: 'PUT', ...pathOf`/v1/gadgets/${found!.id}`, body }),
      }));
    }
    const declared = new Set(entries.map((e) => keyOf(gadgetKind, e.identity)));
    for (const o of liveObjectsOf(gadgetKind, ctx.live).filter((x) => !declared.has(keyOf(gadgetKind, identityOf(x))))) {
      undeclared(ctx, { address: { kind: 'gadget', key: keyOf(gadgetKind, identityOf(o)) }, identity: identityOf(o), live: o, before: liveViewOf(FIELDS, o, ctx.lookups),
        pruned: prunes(ctx.desired.prune, 'gadget'), path: pathOf`/v1/gadgets/${o.id}` });
    }
  },
  locate: async (change, api) => (await api.list('/v1/gadgets', 'gadgets')).find((o) => o.name === change.identity.gadget)?.id ?? null,
  createdId: idOf,
  discover: async (api) => ({ objects: await api.list('/v1/gadgets', 'gadgets') }),
  exportSection: { name: 'gadgets', entries: (objects, ctx) => objects.map((o) => ({ name: o.name, ...exportedFields(FIELDS, o, ctx) })) },
};
registerKind(gadgetKind);

// ── The test ──

const at = (line: number) => ({ file: 'gadgets.yaml', line, column: 3 });
const entry = (name: string, fields: DesiredEntry['fields'], line: number): DesiredEntry =>
  ({ identity: { gadget: name }, fields, fieldSources: Object.fromEntries(Object.keys(fields).map((f) => [f, at(line)])), source: at(line) });

function desired(): DesiredState {
  const state = emptyDesiredState();
  state.entries.gadget = [entry('Anvil', { colour: 'red', size: 3, tags: ['b', 'a'] }, 1), entry('Bell', { colour: 'blue', size: 2 }, 5), entry('Cog', { colour: 'green', size: 1, tags: ['y', 'x'] }, 9)];
  state.prune.kinds = { gadget: true };
  return state;
}

function live(): LiveSnapshot {
  const gadgets = [{ id: 'g-bell', name: 'Bell', colour: 'teal', size: 2 }, { id: 'g-cog', name: 'Cog', colour: 'green', size: '1.0' }, { id: 'g-drum', name: 'Drum', colour: 'black', size: 7 }];
  return { lookups: EMPTY_LOOKUPS, objects: { ...emptyObjects(), gadget: gadgets } };
}

/** A stub API: records the writes and answers a create with a new id; the first create can be made to fail after committing. */
function stubApi(options: { loseFirstCreate?: boolean } = {}): ApiPort & { sent: ResolvedOperation[] } {
  const sent: ResolvedOperation[] = [];
  const made: RawObject[] = [];
  let lose = options.loseFirstCreate ?? false;
  return {
    sent,
    get: async () => ({}),
    list: async (path) => (path === '/v1/gadgets' ? made : []),
    send: async (op) => {
      sent.push(op);
      if (op.method !== 'POST') return {};
      const created = { ...(op.body as object), id: `g-new-${made.length + 1}` } as RawObject;
      made.push(created);
      if (lose) {
        lose = false;
        throw Object.assign(new Error('502 Bad Gateway'), { status: 502 });
      }
      return created;
    },
  };
}

const plan = () => computePlan(desired(), live(), KINDS, { asOf: '2026-11-25' });

describe('a kind defined only in a test file', () => {
  it('plans a create, an update, a noop and a delete from its field spec', () => {
    const p = plan();
    expect(p.diagnostics).toEqual([]);
    expect(p.changes.map((c) => `${c.action} ${c.address.kind}.${c.address.key}`)).toEqual(['create gadget.Anvil', 'update gadget.Bell', 'noop gadget.Cog', 'delete gadget.Drum']);
    const bell = p.changes[1];
    expect(bell.fields).toEqual([{ field: 'colour', before: 'teal', after: 'blue' }]);
    expect(bell.operation).toEqual({ api: 'agentsync', method: 'PUT', path: '/v1/gadgets/g-bell', refs: [], body: { name: 'Bell', colour: 'blue', size: 2 } });
    expect(p.changes[0].operation?.body).toEqual({ name: 'Anvil', colour: 'red', size: 3, tags: ['b', 'a'] });
    expect(p.changes[3].before).toEqual({ colour: 'black', size: 7 });
    // 1.0 and 1 are one size (its comparator); tags are never read back: listed once, and the object is unverified, not changed.
    expect(p.changes[2]).toMatchObject({ action: 'noop', unverified: ['tags'] });
    expect(p.uncomparable).toEqual([{ kind: 'gadget', field: 'tags' }]);
  });

  it('is indexed like the built-ins: a declared name held twice live is ambiguous, and the plan names both ids', () => {
    const twice = live();
    (twice.objects.gadget as RawObject[]).push({ id: 'g-bell-2', name: 'Bell', colour: 'blue', size: 2 });
    const p = computePlan(desired(), twice, KINDS, { asOf: '2026-11-25' });
    expect(p.diagnostics).toEqual([expect.objectContaining({
      severity: 'error', address: 'gadget.Bell', source: at(5),
      message: 'gadget "Bell" exists 2 times in the live account: g-bell, g-bell-2; downline will not pick one',
    })]);
  });

  it('applies against a stub port: writes exactly the plan, and adopts a create that committed behind a 502', async () => {
    const api = stubApi({ loseFirstCreate: true });
    const results = await applyPlan(plan().changes, api, { kinds: KINDS, concurrency: 2 });
    expect(results.map((r) => `${r.address} ${r.outcome}${r.id ? ` ${r.id}` : ''}${r.recovered ? ` (${r.recovered})` : ''}`)).toEqual([
      'gadget.Anvil succeeded g-new-1 (adopted after ambiguous failure (502))', 'gadget.Bell succeeded g-bell', 'gadget.Drum succeeded g-drum',
    ]);
    expect(api.sent.map((o) => `${o.method} ${o.path}`).sort()).toEqual(['DELETE /v1/gadgets/g-drum', 'POST /v1/gadgets', 'PUT /v1/gadgets/g-bell']);
  });

  it('renders in text, JSON and markdown under its own title and labels', () => {
    const p = plan();
    const text = renderPlanText(p, createStyle(false), { verbose: false });
    expect(text).toContain('Gadgets\n  + gadget "Anvil"\n');
    expect(text).toContain('  ~ gadget "Bell"\n');
    expect(text).toContain('  - gadget "Drum"  (delete)\n');
    expect(text).toContain('Plan: 1 to create, 1 to update, 1 to delete, 0 unmanaged.');
    const json = JSON.parse(renderPlanJson(planDocument(p, { toolVersion: 't', env: 'test', configDigest: 'd', configPaths: [], targets: [] })));
    expect(json.summary).toMatchObject({ create: 1, update: 1, delete: 1, noop: 1 });
    expect(json.changes.map((c: { address: { kind: string; key: string } }) => `${c.address.kind}.${c.address.key}`)).toEqual(['gadget.Anvil', 'gadget.Bell', 'gadget.Cog', 'gadget.Drum']);
    const markdown = renderPlanMarkdown(p, { verbose: false });
    expect(markdown).toContain('| Gadgets | 1 | 1 | 1 |');
    expect(markdown).toContain('<summary>Gadgets (3)</summary>');
  });

  it('exports its own section, and says which declared field no live object carries', () => {
    const { text, warnings } = exportYaml(live());
    expect(text).toContain('gadgets:\n  - name: Bell\n    colour: teal\n    size: 2\n  - name: Cog\n    colour: green\n    size: "1.0"\n  - name: Drum\n    colour: black\n    size: 7\n');
    expect(warnings.map((w) => w.message)).toContain('no live gadget carries tags: the API does not read it back (or none is set), so the export cannot write it');
  });

  it('is discovered by its own discover, beside the built-in reads (which stay as they were)', async () => {
    const em = await startEmulator();
    try {
      const api = createApi({ agentsync: { baseUrl: em.baseUrl, tokenUrl: em.tokenUrl, clientId: em.credentials.clientId, clientSecret: em.credentials.clientSecret } }, { concurrency: 2, scopes: [] });
      const gadgets = live().objects.gadget as RawObject[];
      // The emulator serves no gadgets: its listing is answered here, every other read by the emulator.
      const snapshot = await discover({ ...api, list: (path, key, query) => (path === '/v1/gadgets' ? Promise.resolve(gadgets) : api.list(path, key, query)) }, desired(), 2);
      expect(snapshot.objects.gadget).toEqual(gadgets);
      expect(snapshot.objects.carrier).toEqual([]);
      expect(em.log.filter((r) => r.method === 'GET').map((r) => r.path).sort()).toEqual([
        ...['annualizations', 'assignmentStatuses', 'contractSubmissionMethods', 'customers/carriers', 'linesOfBusiness'].map((p) => `/contracting/v1/${p}`),
      ]);
    } finally {
      await em.close();
    }
  });

  it('is known to no file under src/', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    expect(files(join(ROOT, 'src')).filter((f) => /gadget/i.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
