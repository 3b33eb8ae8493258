import { fetchLookups } from '../api/discover.js';
import { ApiError } from '../api/errors.js';
import type { LookupTables } from '../core/live.js';
import { ASSIGNMENT_LIFECYCLE_FIELDS as LIFECYCLE } from '../kinds/assignment.js';
import { COMMISSION_TYPE_WIRE } from '../kinds/commission-level.js';
import { asApiError, type DoctorContext } from './context.js';
import { READ_BACK } from './read-checks.js';
import { cannot, differs, holds, type DoctorReport, type Outcome } from './types.js';

export { plannedWrites, probeName } from './probe-plan.js';

type Obj = Record<string, unknown> & { id: string };
type Method = 'POST' | 'PUT' | 'DELETE';

/** The checks only a write can answer, by check id. */
export type ProbeCheck = 'probe-create' | 'probe-level-type' | 'probe-put-single' | 'probe-put-bulk' | 'probe-put-keeps' | 'probe-read-back' | 'probe-assignment-fields' | 'probe-deletes';

export interface ProbeResult {
  /** A check without an outcome was not reached: an earlier step failed. */
  outcomes: Partial<Record<ProbeCheck, Outcome>>;
  writes: DoctorReport['writes'];
  leftovers: DoctorReport['leftovers'];
}

/** A probe object, with the placeholder its paths are shown with ({probe carrier}). */
interface Created { kind: string; id: string; label: string; path: string }

interface Objects { carrier: Obj; product: Obj; levelA: Obj; levelA0: Obj; bulk: Obj[] }

/** A failed step stops the probe (the rest depends on it) and is reported on the check it answers. */
class ProbeStop extends Error {
  constructor(readonly check: ProbeCheck, readonly outcome: Outcome) {
    super(outcome.seen);
  }
}

const problems = (...items: Array<string | false>) => items.filter((i): i is string => Boolean(i));
const verdict = (found: string[], good: string) => (found.length ? differs(found.join('; ')) : holds(good));

/**
 * Create, read back, update (single and bulk) and delete probe objects in a sandbox, recording
 * each write with its status; whatever cannot be deleted is reported as left behind.
 */
export async function runProbe(ctx: DoctorContext, name: string, say: (line: string) => void): Promise<ProbeResult> {
  return new Probe(ctx, name, say).run();
}

class Probe {
  readonly result: ProbeResult = { outcomes: {}, writes: [], leftovers: [] };
  private created: Created[] = [];

  constructor(private readonly ctx: DoctorContext, private readonly name: string, private readonly say: (line: string) => void) {}

  async run(): Promise<ProbeResult> {
    const lookups = await fetchLookups(this.ctx.api);
    try {
      const objects = await this.create(lookups);
      await this.readBack(objects);
      const bulkProblems = [...(await this.update(objects)), ...(this.ctx.options.testNpn ? await this.assignments(objects, lookups) : [])];
      if (!this.ctx.options.testNpn) this.set('probe-assignment-fields', cannot('no test producer: pass --test-npn (and --test-upline-npn for uplineNpn)'));
      const assignments = this.ctx.options.testNpn ? ' and contractAssignments/bulk' : '';
      this.set('probe-put-bulk', verdict(bulkProblems, `PUT commissionLevels/bulk${assignments} with an object body answer 200; the values are read back${assignments ? '' : ' (assignments: pass --test-npn)'}`));
    } catch (cause) {
      if (!(cause instanceof ProbeStop)) throw cause;
      this.set(cause.check, cause.outcome);
    } finally {
      await this.cleanUp();
    }
    return this.result;
  }

  private set(check: ProbeCheck, outcome: Outcome): void {
    this.result.outcomes[check] ??= outcome;
  }

  /** One write, recorded (paths with placeholders) and said as it is made; its status comes from the response seen. */
  private async send<T>(method: Method, path: string, display: string, purpose: string, body?: unknown): Promise<{ body: T; status: number | null }> {
    const entry = { method, path: display, purpose, status: null as number | null };
    this.result.writes.push(entry);
    try {
      const answer = await this.ctx.api.agentsync.send<T>(method, path, body);
      entry.status = [...this.ctx.observed].reverse().find((r) => r.method === method)?.status ?? null;
      this.say(`${method} ${display} → ${entry.status}`);
      return { body: answer, status: entry.status };
    } catch (cause) {
      const e = asApiError(cause);
      entry.status = e.status || null;
      this.say(`${method} ${display} → ${e.status || e.code || 'failed'}${e.messages.length ? `: ${e.messages.join('; ')}` : ''}`);
      throw cause;
    }
  }

  /** A write the probe cannot go on without: a failure stops it, reported on `check`. */
  private async step<T>(check: ProbeCheck, what: string, method: Method, path: string, display: string, purpose: string, body?: unknown) {
    try {
      return await this.send<T>(method, path, display, purpose, body);
    } catch (cause) {
      const e = asApiError(cause);
      const blocked = e.status === 401 || e.status === 403 || e.status === 0 || e.status >= 500;
      throw new ProbeStop(check, blocked ? cannot(`${what}: ${e.message}`) : differs(`${what}: ${e.message}`));
    }
  }

  private read(path: string): Promise<Obj> {
    return this.ctx.api.agentsync.get<Obj>(path);
  }

  private track(kind: string, id: unknown, label: string, path: string): void {
    if (typeof id === 'string') this.created.push({ kind, id, label, path: `${path}/${id}` });
  }

  /** A carrier, a product (every declarable field), level A alone and levels B, C in one bulk request. */
  private async create(lookups: LookupTables): Promise<Objects> {
    const first = (k: keyof LookupTables) => lookups[k][0]?.id;
    const carrierBody = { name: this.name, naic: '99999', tin: '999999999', uplineFirmName: 'downline doctor probe', linesOfBusiness: [first('linesOfBusiness')], contractSubmissionMethods: [first('contractSubmissionMethods')], administrativeDivisions: ['CA'], userDefined1: 'downline-doctor' };
    const carrier = await this.step<Obj>('probe-create', 'the probe carrier was not created', 'POST', '/v1/customers/carriers', '/v1/customers/carriers', 'probe carrier', carrierBody);
    if (!carrier.body?.id) throw new ProbeStop('probe-create', differs(`POST /v1/customers/carriers answered ${carrier.status} without an id`));
    this.track('carrier', carrier.body.id, 'probe carrier', '/v1/customers/carriers');
    const productBody = { name: `${this.name} product`, lineOfBusinessId: first('linesOfBusiness'), contractSubmissionMethodId: first('contractSubmissionMethods'), annualizationId: first('annualizations'), displayCommissionLevelPercentages: false, administrativeDivisions: ['CA'], userDefined1: 'downline-doctor' };
    const product = await this.step<Obj>('probe-create', 'the probe product was not created', 'POST', `/v1/customers/carriers/${carrier.body.id}/products`, '/v1/customers/carriers/{probe carrier}/products', 'probe product', productBody);
    this.track('product', product.body.id, 'probe product', '/v1/customers/products');
    const aBody = { name: 'probe A', type: COMMISSION_TYPE_WIRE.Percent, firstYearValue: 10, level: 1 };
    const a = await this.step<Obj>('probe-level-type', `a level of type ${aBody.type} was refused`, 'POST', `/v1/customers/${product.body.id}/commissionLevels`, '/v1/customers/{probe product}/commissionLevels', 'probe level A', aBody);
    this.track('commission level', a.body.id, 'probe A', '/v1/customers/commissionLevels');
    const bulkBody = [{ name: 'probe B', type: COMMISSION_TYPE_WIRE.Dollar, firstYearValue: 20, level: 2 }, { name: 'probe C', type: COMMISSION_TYPE_WIRE.Number, firstYearValue: 3, level: 3 }];
    const bulk = await this.step<Obj[]>('probe-create', 'the bulk level create failed', 'POST', `/v1/customers/${product.body.id}/commissionLevels/bulk`, '/v1/customers/{probe product}/commissionLevels/bulk', 'probe levels B, C', bulkBody);
    const levels = Array.isArray(bulk.body) ? bulk.body : [];
    levels.forEach((l, i) => this.track('commission level', l?.id, bulkBody[i]?.name ?? 'probe level', '/v1/customers/commissionLevels'));

    this.set('probe-create', verdict(problems(
      carrier.status !== 201 && `carrier create answered ${carrier.status}`,
      product.status !== 201 && `product create answered ${product.status}`,
      product.body.carrierId !== carrier.body.id && 'the created product does not carry carrierId',
      (a.status !== 201 || !a.body.id) && `level create answered ${a.status}${a.body.id ? '' : ' without an id'}`,
      bulk.status !== 201 && `bulk level create answered ${bulk.status}`,
      // Matched to the request by name, as apply matches them: the order of the answer is not relied on.
      (levels.length !== 2 || bulkBody.some((b) => !levels.some((l) => l?.name === b.name))) && `bulk level create did not answer the 2 created levels, matched by name (${JSON.stringify(bulk.body).slice(0, 80)})`,
    ), 'carrier, product and level creates answer 201 with the object (id; product carries carrierId); bulk level create answers the created levels, matched to the request by name'));
    const levelA0 = await this.read(`/v1/customers/commissionLevels/${a.body.id}`);
    this.set('probe-level-type', levelA0.type === aBody.type ? holds(`type ${aBody.type} accepted and read back as sent`) : differs(`sent type ${aBody.type}, read back ${String(levelA0.type)}`));
    return { carrier: carrier.body, product: product.body, levelA: a.body, levelA0, bulk: levels };
  }

  /** Every declarable field was set: the documented ones must come back; the rest are write-only. */
  private async readBack(o: Objects): Promise<void> {
    const [carrier, product] = await Promise.all([this.read(`/v1/customers/carriers/${o.carrier.id}`), this.read(`/v1/customers/products/${o.product.id}`)]);
    const reads: Record<(typeof READ_BACK)[number]['from'], Obj> = { carrier, product, commissionLevel: o.levelA0 };
    const missing: string[] = [];
    const notes: string[] = [];
    for (const r of READ_BACK) {
      const lacking = r.readBack.filter((f) => reads[r.from][f] === undefined);
      if (lacking.length) missing.push(`${r.label}: ${lacking.join(', ')} not read back`);
      const back = r.writeOnly.filter((f) => reads[r.from][f] !== undefined);
      notes.push(`${r.label}: ${back.length ? `also reads back ${back.join(', ')}` : `write-only ${r.writeOnly.join(', ')}`}`);
    }
    this.set('probe-read-back', missing.length ? differs(`${missing.join('; ')}; ${notes.join('; ')}`) : holds(notes.join('; ')));
  }

  /** Single PUTs (one of them partial: it must keep what it does not name), then the bulk level PUT. Returns bulk problems. */
  private async update(o: Objects): Promise<string[]> {
    const C = `/v1/customers/carriers/${o.carrier.id}`;
    const P = `/v1/customers/products/${o.product.id}`;
    const A = `/v1/customers/commissionLevels/${o.levelA.id}`;
    const renamed = `${this.name} product (updated)`;
    const c = await this.step('probe-put-single', 'the carrier PUT failed', 'PUT', C, '/v1/customers/carriers/{probe carrier}', 'single update: naic', { name: this.name, naic: '99998' });
    const p = await this.step('probe-put-single', 'the product PUT failed', 'PUT', P, '/v1/customers/products/{probe product}', 'single update: name', { name: renamed, lineOfBusinessId: o.product.lineOfBusinessId });
    const a = await this.step('probe-put-single', 'the level PUT failed', 'PUT', A, '/v1/customers/commissionLevels/{probe A}', 'single update of firstYearValue only', { id: o.levelA.id, firstYearValue: 11 });
    const [c2, p2, a2] = await Promise.all([this.read(C), this.read(P), this.read(A)]);
    this.set('probe-put-single', verdict(problems(
      (c.status !== 200 || c2.naic !== '99998') && `carrier PUT answered ${c.status}, naic read back ${String(c2.naic)}`,
      (p.status !== 200 || p2.name !== renamed) && `product PUT answered ${p.status}, name read back ${String(p2.name)}`,
      (a.status !== 200 || a2.firstYearValue !== 11) && `level PUT answered ${a.status}, firstYearValue read back ${String(a2.firstYearValue)}`,
    ), 'PUT on carriers/{id}, products/{id} and commissionLevels/{id} answers 200; the new values are read back'));
    const dropped = (['name', 'type', 'level'] as const).filter((f) => a2[f] !== o.levelA0[f]);
    this.set('probe-put-keeps', dropped.length ? differs(`a PUT naming only firstYearValue changed ${dropped.map((f) => `${f} (${String(o.levelA0[f])} → ${String(a2[f])})`).join(', ')}`) : holds('a PUT naming only firstYearValue kept name, type and level'));

    const body = { commissionLevels: o.bulk.map((l, i) => ({ id: l.id, firstYearValue: i === 0 ? 21 : 4 })) };
    const bulk = await this.step('probe-put-bulk', 'the bulk level PUT failed', 'PUT', '/v1/customers/commissionLevels/bulk', '/v1/customers/commissionLevels/bulk', 'bulk update: firstYearValue of B and C', body);
    const after = await Promise.all(body.commissionLevels.map((l) => this.read(`/v1/customers/commissionLevels/${l.id}`)));
    return problems(bulk.status !== 200 && `PUT commissionLevels/bulk answered ${bulk.status}`,
      ...after.map((l, i) => l.firstYearValue !== body.commissionLevels[i].firstYearValue && `${String(l.name)} read back firstYearValue ${String(l.firstYearValue)}`));
  }

  /** The fields downline writes on assignments (upline, ending), on the test producer; then a bulk PUT. Returns bulk problems. */
  private async assignments(o: Objects, lookups: LookupTables): Promise<string[]> {
    const { testNpn, testUplineNpn } = this.ctx.options;
    const found: string[] = [];
    const seen: string[] = [];
    const path = '/v1/customers/contractAssignments';
    const on = { productId: o.product.id, commissionLevelId: o.levelA.id };
    if (testUplineNpn) {
      const up = await this.step<Obj>('probe-assignment-fields', 'the upline\'s assignment was not created', 'POST', path, path, 'the upline\'s assignment', { npn: testUplineNpn, ...on });
      this.track('assignment', up.body.id, 'upline probe assignment', path);
    }
    const created = await this.step<Obj>('probe-assignment-fields', 'the probe assignment was not created', 'POST', path, path, 'the probe assignment',
      { npn: testNpn, ...on, administrativeDivisions: ['CA'], ...(testUplineNpn ? { [LIFECYCLE.upline]: testUplineNpn } : {}) });
    this.track('assignment', created.body.id, 'probe assignment', path);
    const A = `${path}/${created.body.id}`;
    if (testUplineNpn) {
      const back = (await this.read(A))[LIFECYCLE.upline];
      if (back === testUplineNpn) seen.push(`${LIFECYCLE.upline} read back`);
      else found.push(`${LIFECYCLE.upline} sent on create, read back ${back === undefined ? 'absent' : 'different'}`);
    } else {
      seen.push(`${LIFECYCLE.upline} not checked (pass --test-upline-npn)`);
    }
    const terminal = lookups.assignmentStatuses.find((s) => s.name === 'TERMINATED');
    const ending = { id: created.body.id, commissionLevelId: o.levelA.id, [LIFECYCLE.terminationReason]: 'downline doctor probe', [LIFECYCLE.endDate]: new Date().toISOString().slice(0, 10), ...(terminal ? { assignmentStatusId: terminal.id } : {}) };
    await this.step('probe-assignment-fields', 'the termination PUT was refused', 'PUT', A, `${path}/{probe assignment}`, 'single update: terminationReason, endDate, a terminal status', ending);
    const ended = await this.read(A);
    for (const f of [LIFECYCLE.terminationReason, LIFECYCLE.endDate]) {
      if (ended[f] === ending[f]) seen.push(`${f} read back`);
      else found.push(`${f} sent on PUT, read back ${ended[f] === undefined ? 'absent' : String(ended[f])}`);
    }
    this.set('probe-assignment-fields', verdict(found, seen.join('; ')));
    const bulk = await this.step('probe-put-bulk', 'the bulk assignment PUT failed', 'PUT', `${path}/bulk`, `${path}/bulk`, 'bulk update: administrativeDivisions', { contractAssignments: [{ id: created.body.id, administrativeDivisions: ['CA', 'TX'] }] });
    const divisions = (await this.read(A)).administrativeDivisions;
    return problems((bulk.status !== 200 || JSON.stringify([...((divisions as string[] | undefined) ?? [])].sort()) !== '["CA","TX"]')
      && `PUT contractAssignments/bulk answered ${bulk.status}, administrativeDivisions read back ${JSON.stringify(divisions)}`);
  }

  /** Delete in reverse order of creation, the carrier last (expected to be refused); what stays is a leftover. */
  private async cleanUp(): Promise<void> {
    const found: string[] = [];
    let carrierNote = '';
    for (const item of [...this.created].reverse()) {
      const display = item.path.replace(item.id, `{${item.label}}`);
      try {
        const { status } = await this.send('DELETE', item.path, display, `remove the ${item.label}`);
        const gone = await this.read(item.path).then(() => false, (e) => e instanceof ApiError && e.status === 404);
        if (item.kind === 'carrier') found.push(`the carrier DELETE answered ${status}: carriers can be deleted after all`);
        else if (status !== 204 || !gone) found.push(`${item.kind} DELETE answered ${status}${gone ? '' : ' and the object is still there'}`);
        if (!gone) this.result.leftovers.push({ kind: item.kind, id: item.id, name: this.nameOf(item), why: `DELETE answered ${status} but it is still there` });
      } catch (cause) {
        const e = asApiError(cause);
        const refused = `${e.status || e.code}`;
        this.result.leftovers.push({ kind: item.kind, id: item.id, name: this.nameOf(item), why: item.kind === 'carrier' ? `carriers cannot be deleted (DELETE → ${refused})` : e.message });
        if (item.kind === 'carrier') carrierNote = `; the carrier DELETE was refused (${refused}), as assumed`;
        else found.push(`${item.kind} DELETE failed: ${e.message}`);
      }
    }
    if (this.created.length > 1) this.set('probe-deletes', verdict(found, `DELETE answers 204 on ${this.ctx.options.testNpn ? 'assignments, ' : ''}levels and products, and they are gone${carrierNote}`));
  }

  private nameOf(item: Created): string {
    return item.kind === 'carrier' ? this.name : item.kind === 'product' ? `${this.name} product` : item.label;
  }
}
