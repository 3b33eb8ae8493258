import { randomBytes } from 'node:crypto';
import { fetchLookups } from '../api/discover.js';
import { ApiError } from '../api/errors.js';
import { ASSIGNMENT_LIFECYCLE_FIELDS as LIFECYCLE } from '../kinds/assignment.js';
import { COMMISSION_TYPE_WIRE } from '../kinds/commission-level.js';
import { asApiError, type DoctorContext } from './context.js';
import { READ_BACK } from './read-checks.js';
import { cannot, differs, holds, type DoctorReport, type Outcome } from './types.js';

type Obj = Record<string, unknown> & { id: string };

/** The checks only a write can answer, by check id. */
export const PROBE_CHECKS = ['probe-create', 'probe-level-type', 'probe-put-single', 'probe-put-bulk', 'probe-put-keeps', 'probe-read-back', 'probe-assignment-fields', 'probe-deletes'] as const;
export type ProbeCheck = (typeof PROBE_CHECKS)[number];

export interface ProbeResult {
  outcomes: Partial<Record<ProbeCheck, Outcome>>;
  writes: DoctorReport['writes'];
  leftovers: DoctorReport['leftovers'];
}

/** The writes the probe will make, in order, listed before the first one is sent. */
export function plannedWrites(name: string, o: { testNpn?: string; testUplineNpn?: string }): Array<[string, string, string]> {
  type Write = [string, string, string];
  const upline = o.testNpn && o.testUplineNpn;
  const assignmentWrites: Write[] = !o.testNpn ? [] : [
    ...(upline ? [['POST', '/v1/customers/contractAssignments', 'the upline\'s assignment on the probe product (--test-upline-npn)'] as Write] : []),
    ['POST', '/v1/customers/contractAssignments', `an assignment of --test-npn on the probe product${upline ? ' with uplineNpn' : ''}`],
    ['PUT', '/v1/customers/contractAssignments/{probe assignment}', 'single update: terminationReason, endDate, a terminal status'],
    ['PUT', '/v1/customers/contractAssignments/bulk', 'bulk update: administrativeDivisions'],
    ['DELETE', '/v1/customers/contractAssignments/{probe assignment}', 'remove the probe assignment'],
    ...(upline ? [['DELETE', '/v1/customers/contractAssignments/{upline probe assignment}', 'remove the upline\'s probe assignment'] as Write] : []),
  ];
  return [
    ['POST', '/v1/customers/carriers', `create the probe carrier "${name}" with every declarable field`],
    ['POST', '/v1/customers/carriers/{probe carrier}/products', 'create the probe product with every declarable field'],
    ['POST', '/v1/customers/{probe product}/commissionLevels', 'create probe level A'],
    ['POST', '/v1/customers/{probe product}/commissionLevels/bulk', 'create probe levels B and C in one bulk request'],
    ['PUT', '/v1/customers/carriers/{probe carrier}', 'single update: naic'],
    ['PUT', '/v1/customers/products/{probe product}', 'single update: name'],
    ['PUT', '/v1/customers/commissionLevels/{probe A}', 'single update of firstYearValue only'],
    ['PUT', '/v1/customers/commissionLevels/bulk', 'bulk update: firstYearValue of B and C'],
    ...assignmentWrites,
    ...['C', 'B', 'A'].map((l): Write => ['DELETE', `/v1/customers/commissionLevels/{probe ${l}}`, `remove probe level ${l}`]),
    ['DELETE', '/v1/customers/products/{probe product}', 'remove the probe product'],
    ['DELETE', '/v1/customers/carriers/{probe carrier}', 'try to remove the probe carrier (expected to be refused: carriers cannot be deleted)'],
  ];
}

export function probeName(now: Date): string {
  return `downline-doctor-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
}

/**
 * Create, read back, update (single and bulk) and delete probe objects in a sandbox, recording
 * each write with its status; whatever cannot be deleted is reported as left behind.
 */
export async function runProbe(ctx: DoctorContext, name: string, say: (line: string) => void): Promise<ProbeResult> {
  const api = ctx.api.agentsync;
  const result: ProbeResult = { outcomes: {}, writes: [], leftovers: [] };
  const set = (check: ProbeCheck, outcome: Outcome) => {
    result.outcomes[check] ??= outcome;
  };
  const lastStatus = (method: string) => [...ctx.observed].reverse().find((r) => r.method === method)?.status ?? null;
  const write = async <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, display: string, purpose: string, body?: unknown): Promise<T> => {
    const entry = { method, path: display, purpose, status: null as number | null };
    result.writes.push(entry);
    try {
      const answer = await api.send<T>(method, path, body);
      entry.status = lastStatus(method);
      say(`${method} ${display} → ${entry.status}`);
      return answer;
    } catch (cause) {
      const e = asApiError(cause);
      entry.status = e.status || null;
      say(`${method} ${display} → ${e.status || e.code || 'failed'}${e.messages.length ? `: ${e.messages.join('; ')}` : ''}`);
      throw cause;
    }
  };
  const read = (path: string) => api.get<Obj>(path);

  const lookups = await fetchLookups(ctx.api);
  const first = (k: keyof typeof lookups) => lookups[k][0]?.id;
  const terminal = lookups.assignmentStatuses.find((s) => s.name === 'TERMINATED') ?? lookups.assignmentStatuses[0];
  const created: Array<{ kind: string; id: string; name: string; path: string }> = [];

  try {
    // Carrier: every declarable field, then what comes back on a single GET.
    const carrierBody = { name, naic: '99999', tin: '999999999', uplineFirmName: 'downline doctor probe', linesOfBusiness: [first('linesOfBusiness')], contractSubmissionMethods: [first('contractSubmissionMethods')], administrativeDivisions: ['CA'], userDefined1: 'downline-doctor' };
    const carrier = await write<Obj>('POST', '/v1/customers/carriers', '/v1/customers/carriers', 'probe carrier', carrierBody).catch(fail('probe-create', 'the probe carrier was not created'));
    const carrierStatus = lastStatus('POST');
    if (!carrier?.id) throw new ProbeStop('probe-create', differs(`POST /v1/customers/carriers answered ${carrierStatus} without an id`));
    created.push({ kind: 'carrier', id: carrier.id, name, path: `/v1/customers/carriers/${carrier.id}` });
    const C = `/v1/customers/carriers/${carrier.id}`;
    const productBody = { name: `${name} product`, lineOfBusinessId: first('linesOfBusiness'), contractSubmissionMethodId: first('contractSubmissionMethods'), annualizationId: first('annualizations'), displayCommissionLevelPercentages: false, administrativeDivisions: ['CA'], userDefined1: 'downline-doctor' };
    const product = await write<Obj>('POST', `${C}/products`, '/v1/customers/carriers/{probe carrier}/products', 'probe product', productBody).catch(fail('probe-create', 'the probe product was not created'));
    const productStatus = lastStatus('POST');
    created.push({ kind: 'product', id: product.id, name: productBody.name, path: `/v1/customers/products/${product.id}` });
    const P = `/v1/customers/products/${product.id}`;
    const levelA = { name: 'probe A', type: COMMISSION_TYPE_WIRE.Percent, firstYearValue: 10, level: 1 };
    const a = await write<Obj>('POST', `/v1/customers/${product.id}/commissionLevels`, '/v1/customers/{probe product}/commissionLevels', 'probe level A', levelA).catch(fail('probe-level-type', `a level of type ${levelA.type} was refused`));
    const aStatus = lastStatus('POST');
    created.push({ kind: 'commission level', id: a.id, name: levelA.name, path: `/v1/customers/commissionLevels/${a.id}` });
    const bulkLevels = [{ name: 'probe B', type: COMMISSION_TYPE_WIRE.Dollar, firstYearValue: 20, level: 2 }, { name: 'probe C', type: COMMISSION_TYPE_WIRE.Number, firstYearValue: 3, level: 3 }];
    const bc = await write<Obj[]>('POST', `/v1/customers/${product.id}/commissionLevels/bulk`, '/v1/customers/{probe product}/commissionLevels/bulk', 'probe levels B, C', bulkLevels).catch(fail('probe-create', 'the bulk level create failed'));
    const bulkStatus = lastStatus('POST');
    if (Array.isArray(bc)) for (const [i, l] of bc.entries()) if (l?.id) created.push({ kind: 'commission level', id: l.id, name: bulkLevels[i].name, path: `/v1/customers/commissionLevels/${l.id}` });

    const createProblems = [
      carrierStatus !== 201 ? `carrier create answered ${carrierStatus}` : '',
      productStatus !== 201 ? `product create answered ${productStatus}` : '',
      product.carrierId !== carrier.id ? 'the created product does not carry carrierId' : '',
      aStatus !== 201 || !a.id ? `level create answered ${aStatus}${a.id ? '' : ' without an id'}` : '',
      bulkStatus !== 201 ? `bulk level create answered ${bulkStatus}` : '',
      !Array.isArray(bc) || bc.length !== 2 || bc.some((l, i) => l?.name !== bulkLevels[i].name) ? `bulk level create did not answer an array of the 2 levels in request order (${JSON.stringify(bc).slice(0, 80)})` : '',
    ].filter(Boolean);
    set('probe-create', createProblems.length ? differs(createProblems.join('; ')) : holds('carrier, product and level creates answer 201 with the object (id; product carries carrierId); bulk level create answers an array in request order'));

    const levelRead = await read(`/v1/customers/commissionLevels/${a.id}`);
    set('probe-level-type', levelRead.type === levelA.type ? holds(`type ${levelA.type} accepted and read back as sent`) : differs(`sent type ${levelA.type}, read back ${String(levelRead.type)}`));

    // What is read back: each kind carries its documented fields when they were set.
    const [carrierRead, productRead] = await Promise.all([read(C), read(P)]);
    const reads: Record<string, Obj> = { carriers: carrierRead, products: productRead, levels: levelRead };
    const missing: string[] = [];
    const notes: string[] = [];
    for (const r of READ_BACK) {
      const got = reads[r.from];
      const lacking = r.readBack.filter((f) => got[f] === undefined);
      if (lacking.length) missing.push(`${r.label}: ${lacking.join(', ')} not read back`);
      const back = r.writeOnly.filter((f) => got[f] !== undefined);
      notes.push(`${r.label}: ${back.length ? `also reads back ${back.join(', ')}` : `write-only ${r.writeOnly.join(', ')}`}`);
    }
    set('probe-read-back', missing.length ? differs(`${missing.join('; ')}; ${notes.join('; ')}`) : holds(notes.join('; ')));

    // Single updates, and a partial PUT that must keep the fields it does not name.
    await write('PUT', C, '/v1/customers/carriers/{probe carrier}', 'single update', { name, naic: '99998' }).catch(fail('probe-put-single', 'the carrier PUT failed'));
    const carrierPut = lastStatus('PUT');
    await write('PUT', P, '/v1/customers/products/{probe product}', 'single update', { name: `${name} product (updated)`, lineOfBusinessId: productBody.lineOfBusinessId }).catch(fail('probe-put-single', 'the product PUT failed'));
    const productPut = lastStatus('PUT');
    await write('PUT', `/v1/customers/commissionLevels/${a.id}`, '/v1/customers/commissionLevels/{probe A}', 'single update (firstYearValue only)', { id: a.id, firstYearValue: 11 }).catch(fail('probe-put-single', 'the level PUT failed'));
    const levelPut = lastStatus('PUT');
    const [c2, p2, a2] = await Promise.all([read(C), read(P), read(`/v1/customers/commissionLevels/${a.id}`)]);
    const putProblems = [
      carrierPut !== 200 || c2.naic !== '99998' ? `carrier PUT answered ${carrierPut}, naic read back ${String(c2.naic)}` : '',
      productPut !== 200 || p2.name !== `${name} product (updated)` ? `product PUT answered ${productPut}, name read back ${String(p2.name)}` : '',
      levelPut !== 200 || a2.firstYearValue !== 11 ? `level PUT answered ${levelPut}, firstYearValue read back ${String(a2.firstYearValue)}` : '',
    ].filter(Boolean);
    set('probe-put-single', putProblems.length ? differs(putProblems.join('; ')) : holds('PUT on carriers/{id}, products/{id} and commissionLevels/{id} answers 200; the new values are read back'));
    const dropped = (['name', 'type', 'level'] as const).filter((f) => a2[f] !== levelRead[f]);
    set('probe-put-keeps', dropped.length ? differs(`a PUT naming only firstYearValue changed ${dropped.map((f) => `${f} (${String(levelRead[f])} → ${String(a2[f])})`).join(', ')}`) : holds('a PUT naming only firstYearValue kept name, type and level'));

    const bulkBody = { commissionLevels: (bc ?? []).map((l, i) => ({ id: l.id, firstYearValue: i === 0 ? 21 : 4 })) };
    await write('PUT', '/v1/customers/commissionLevels/bulk', '/v1/customers/commissionLevels/bulk', 'bulk update', bulkBody).catch(fail('probe-put-bulk', 'the bulk level PUT failed'));
    const bulkPut = lastStatus('PUT');
    const bulkRead = await Promise.all(bulkBody.commissionLevels.map((l) => read(`/v1/customers/commissionLevels/${l.id}`)));
    const bulkProblems = [bulkPut !== 200 ? `PUT commissionLevels/bulk answered ${bulkPut}` : '', ...bulkRead.filter((l, i) => l.firstYearValue !== bulkBody.commissionLevels[i].firstYearValue).map((l) => `${String(l.name)} read back firstYearValue ${String(l.firstYearValue)}`)].filter(Boolean);

    // Assignments: the fields downline writes (upline, termination) on the test producer.
    if (ctx.options.testNpn) {
      const assignmentProblems: string[] = [];
      const assignmentNotes: string[] = [];
      if (ctx.options.testUplineNpn) {
        const up = await write<Obj>('POST', '/v1/customers/contractAssignments', '/v1/customers/contractAssignments', 'upline assignment', { npn: ctx.options.testUplineNpn, productId: product.id, commissionLevelId: a.id }).catch(fail('probe-assignment-fields', 'the upline\'s assignment was not created'));
        created.push({ kind: 'assignment', id: up.id, name: 'upline probe assignment', path: `/v1/customers/contractAssignments/${up.id}` });
      }
      const body = { npn: ctx.options.testNpn, productId: product.id, commissionLevelId: a.id, administrativeDivisions: ['CA'], ...(ctx.options.testUplineNpn ? { [LIFECYCLE.upline]: ctx.options.testUplineNpn } : {}) };
      const asg = await write<Obj>('POST', '/v1/customers/contractAssignments', '/v1/customers/contractAssignments', 'probe assignment', body).catch(fail('probe-assignment-fields', 'the probe assignment was not created'));
      created.push({ kind: 'assignment', id: asg.id, name: 'probe assignment', path: `/v1/customers/contractAssignments/${asg.id}` });
      const A = `/v1/customers/contractAssignments/${asg.id}`;
      if (ctx.options.testUplineNpn) {
        const back = (await read(A))[LIFECYCLE.upline];
        if (back !== ctx.options.testUplineNpn) assignmentProblems.push(`${LIFECYCLE.upline} sent on create, read back ${back === undefined ? 'absent' : 'different'}`);
        else assignmentNotes.push(`${LIFECYCLE.upline} read back`);
      } else {
        assignmentNotes.push(`${LIFECYCLE.upline} not checked (pass --test-upline-npn)`);
      }
      const today = new Date().toISOString().slice(0, 10);
      const ending = { id: asg.id, commissionLevelId: a.id, [LIFECYCLE.terminationReason]: 'downline doctor probe', [LIFECYCLE.endDate]: today, ...(terminal ? { assignmentStatusId: terminal.id } : {}) };
      await write('PUT', A, '/v1/customers/contractAssignments/{probe assignment}', 'single update: termination', ending).catch(fail('probe-assignment-fields', 'the termination PUT was refused'));
      const ended = await read(A);
      for (const f of [LIFECYCLE.terminationReason, LIFECYCLE.endDate]) {
        if (ended[f] !== ending[f]) assignmentProblems.push(`${f} sent on PUT, read back ${ended[f] === undefined ? 'absent' : String(ended[f])}`);
        else assignmentNotes.push(`${f} read back`);
      }
      set('probe-assignment-fields', assignmentProblems.length ? differs(assignmentProblems.join('; ')) : holds(assignmentNotes.join('; ')));
      await write('PUT', '/v1/customers/contractAssignments/bulk', '/v1/customers/contractAssignments/bulk', 'bulk update', { contractAssignments: [{ id: asg.id, administrativeDivisions: ['CA', 'TX'] }] }).catch(fail('probe-put-bulk', 'the bulk assignment PUT failed'));
      const bulkAssignmentPut = lastStatus('PUT');
      const divisions = (await read(A)).administrativeDivisions;
      if (bulkAssignmentPut !== 200 || JSON.stringify([...(divisions as string[] ?? [])].sort()) !== '["CA","TX"]') bulkProblems.push(`PUT contractAssignments/bulk answered ${bulkAssignmentPut}, administrativeDivisions read back ${JSON.stringify(divisions)}`);
    } else {
      set('probe-assignment-fields', cannot('no test producer: pass --test-npn (and --test-upline-npn for uplineNpn)'));
    }
    set('probe-put-bulk', bulkProblems.length ? differs(bulkProblems.join('; ')) : holds(`PUT commissionLevels/bulk${ctx.options.testNpn ? ' and contractAssignments/bulk' : ''} with an object body answer 200; the values are read back${ctx.options.testNpn ? '' : ' (assignments not checked: pass --test-npn)'}`));
  } catch (cause) {
    if (!(cause instanceof ProbeStop)) throw cause;
    set(cause.check, cause.outcome);
  } finally {
    await cleanUp(created, write, read, result, set);
  }
  for (const check of PROBE_CHECKS) set(check, cannot('an earlier probe step failed'));
  return result;
}

/** Delete in reverse order of creation; the carrier last (expected to be refused). */
async function cleanUp(created: Array<{ kind: string; id: string; name: string; path: string }>, write: <T>(m: 'POST' | 'PUT' | 'DELETE', p: string, d: string, purpose: string, b?: unknown) => Promise<T>,
  read: (path: string) => Promise<unknown>, result: ProbeResult, set: (c: ProbeCheck, o: Outcome) => void): Promise<void> {
  const problems: string[] = [];
  let carrierNote = '';
  for (const item of [...created].reverse()) {
    const display = item.path.replace(item.id, `{${item.kind === 'carrier' ? 'probe carrier' : item.kind === 'product' ? 'probe product' : item.name}}`);
    try {
      await write('DELETE', item.path, display, `remove the ${item.kind}`);
      const status = result.writes[result.writes.length - 1].status;
      const gone = await read(item.path).then(() => false, (e) => e instanceof ApiError && e.status === 404);
      if (item.kind === 'carrier') {
        problems.push(`the carrier DELETE answered ${status}: carriers can be deleted after all`);
      } else if (status !== 204 || !gone) {
        problems.push(`${item.kind} DELETE answered ${status}${gone ? '' : ' and the object is still there'}`);
        if (!gone) result.leftovers.push({ kind: item.kind, id: item.id, name: item.name, why: `DELETE answered ${status} but it is still there` });
      }
    } catch (cause) {
      const e = asApiError(cause);
      result.leftovers.push({ kind: item.kind, id: item.id, name: item.name, why: item.kind === 'carrier' ? `carriers cannot be deleted (DELETE → ${e.status || e.code})` : e.message });
      if (item.kind === 'carrier') carrierNote = `; the carrier DELETE was refused (${e.status || e.code}), as assumed`;
      else problems.push(`${item.kind} DELETE failed: ${e.message}`);
    }
  }
  if (created.length > 1) set('probe-deletes', problems.length ? differs(problems.join('; ')) : holds(`DELETE answers 204 on assignments, levels and products, and they are gone${carrierNote}`));
}

class ProbeStop extends Error {
  constructor(readonly check: ProbeCheck, readonly outcome: Outcome) {
    super(outcome.seen);
  }
}

/** A failed step stops the probe (the rest depends on it) and is reported on the check it answers. */
function fail(check: ProbeCheck, what: string) {
  return (cause: unknown): never => {
    const e = asApiError(cause);
    const outcome = e.status === 401 || e.status === 403 || e.status === 0 || e.status >= 500 ? cannot(`${what}: ${e.message}`) : differs(`${what}: ${e.message}`);
    throw new ProbeStop(check, outcome);
  };
}
