import { describe, expect, it } from 'vitest';
import { computePlan, summarize } from '../../../src/core/compute-plan.js';
import type { DesiredState } from '../../../src/core/desired.js';
import type { LiveSnapshot } from '../../../src/core/live.js';
import { KINDS } from '../../../src/kinds/index.js';
import { converged, desired, live } from './builders.js';

const plan = (d: DesiredState, l: LiveSnapshot) => computePlan(d, l, KINDS);
const actions = (d: DesiredState, l: LiveSnapshot) => plan(d, l).changes.map((c) => `${c.action} ${c.address.kind}.${c.address.key}`);

describe('computePlan', () => {
  it.each([
    ['empty account: everything is created', desired(['1']), live(), ['create carrier.Acme', 'create product.Acme/Term', 'create commissionLevel.Acme/Term/L1', 'create assignment.1@Acme/Term']],
    ['converged account: all noop', desired(['1']), converged(['1']), ['noop carrier.Acme', 'noop product.Acme/Term', 'noop commissionLevel.Acme/Term/L1', 'noop assignment.1@Acme/Term']],
    ['numbers compare numerically (55 = 55.00)', desired(), live({ ...converged().objects, commissionLevel: [{ id: 'l1', productId: 'p1', name: 'L1', type: 'PERCENT', firstYearValue: 55.0 }] }), ['noop carrier.Acme', 'noop product.Acme/Term', 'noop commissionLevel.Acme/Term/L1']],
  ])('%s', (_name, d, l, expected) => {
    expect(actions(d, l)).toEqual(expected);
  });

  it('children of a new parent reference it by address, resolved at apply time', () => {
    const p = plan(desired(['1']), live());
    const product = p.changes.find((c) => c.address.kind === 'product')!;
    expect(product.operation).toMatchObject({ method: 'POST', path: '/v1/customers/carriers/{0}/products', refs: ['carrier.Acme'], body: { name: 'Term', lineOfBusinessId: 'lob-life' } });
    const assignment = p.changes.find((c) => c.address.kind === 'assignment')!;
    expect(assignment.operation?.body).toEqual({ npn: '1', productId: { $ref: 'product.Acme/Term' }, commissionLevelId: { $ref: 'commissionLevel.Acme/Term/L1' }, assignmentStatusId: 'st-approved' });
  });

  it('compares only declared fields, code lists as sets, and reports each change before → after', () => {
    const d = desired([], (s) => (s.entries.carrier[0].fields = { naic: '12345', administrativeDivisions: ['CA', 'TX'] }));
    const l = converged();
    l.objects.carrier[0] = { ...l.objects.carrier[0], administrativeDivisions: ['TX', 'CA'], tin: 'ignored' };
    expect(plan(d, l).changes[0].action).toBe('noop');
    l.objects.carrier[0] = { ...l.objects.carrier[0], naic: '99999' };
    expect(plan(d, l).changes[0].fields).toEqual([{ field: 'naic', before: '99999', after: '12345' }]);
  });

  it('a declared field the API does not read back is reported once, not diffed', () => {
    const d = desired([], (s) => s.entries.product.push({ carrier: 'Acme', name: 'Whole', fields: { lineOfBusiness: 'Life', administrativeDivisions: ['CA'] }, fieldSources: {}, source: s.entries.product[0].source }));
    d.entries.product[0].fields.administrativeDivisions = ['TX'];
    const l = converged();
    l.objects.product.push({ id: 'p2', carrierId: 'c1', name: 'Whole', lineOfBusinessId: 'lob-life' });
    const p = plan(d, l);
    expect(p.uncomparable).toEqual([{ kind: 'product', field: 'administrativeDivisions' }]);
    expect(p.changes.filter((c) => c.address.kind === 'product').map((c) => c.action)).toEqual(['noop', 'noop']);
  });

  it('a changed status is workflow progress unless the entry enforces it', () => {
    const l = converged(['1']);
    l.objects.assignment[0].assignmentStatusId = 'st-pending';
    const initial = plan(desired(['1']), l).changes.find((c) => c.address.kind === 'assignment')!;
    expect(initial.action).toBe('noop');
    expect(initial.notes[0]).toContain('workflow progress');
    const enforced = plan(desired(['1'], (s) => (s.entries.assignment[0].statusPolicy = 'enforce')), l).changes.find((c) => c.address.kind === 'assignment')!;
    expect(enforced.action).toBe('update');
    expect(enforced.operation?.body).toEqual({ id: 'a0', commissionLevelId: 'l1', assignmentStatusId: 'st-approved' });
  });

  it('lists unmanaged objects and deletes only what pruning covers, within declared carriers', () => {
    const l = converged(['1', '2']);
    l.objects.carrier.push({ id: 'c9', name: 'Other' });
    l.objects.product.push({ id: 'p9', carrierId: 'c1', name: 'Old' });
    l.objects.commissionLevel.push({ id: 'l9', productId: 'p1', name: 'L9', type: 'Percent' });
    const keep = plan(desired(['1']), l);
    expect(keep.unmanaged.map((u) => `${u.address.kind}.${u.address.key}`)).toEqual(['carrier.Other', 'product.Acme/Old', 'commissionLevel.Acme/Term/L9', 'assignment.2@Acme/Term']);
    expect(summarize(keep).delete).toBe(0);
    const prune = plan(desired(['1'], (s) => (s.prune = { kinds: { product: true, commissionLevel: true, assignment: true } })), l);
    expect(prune.changes.filter((c) => c.action === 'delete').map((c) => c.address.key)).toEqual(['Acme/Old', 'Acme/Term/L9', '2@Acme/Term']);
    expect(prune.unmanaged.map((u) => u.address.key)).toEqual(['Other']);
  });

  it('an invite is planned only for contracts that do not exist yet', () => {
    const withInvite = (s: DesiredState) => {
      s.agency = { organizationId: 'org' , inviter: { firstName: 'A', lastName: 'B', email: 'a@b.c' } };
      s.entries.invite.push({ producer: { npn: '7', email: 'p@x.y', firstName: 'P', lastName: 'Q' }, contracts: [{ carrier: 'Acme', product: 'Term', commissionLevel: 'L1', userDefined: {}, source: s.entries.carrier[0].source, fieldSources: {} }], fields: {}, fieldSources: {}, source: s.entries.carrier[0].source });
    };
    const fresh = plan(desired([], withInvite), converged()).changes.find((c) => c.address.kind === 'invite')!;
    expect(fresh.action).toBe('create');
    expect(fresh.operation?.body).toMatchObject({ contractAssignments: [{ toOrganizationId: 'c1', fromOrganizationId: 'org', productId: 'p1', commissionLevelId: 'l1' }] });
    const satisfied = plan(desired([], withInvite), converged(['7'])).changes.find((c) => c.address.kind === 'invite')!;
    expect(satisfied.action).toBe('noop');
    // Once it exists, the invited contract is a managed assignment: a level changed by hand is drift.
    const moved = converged(['7']);
    moved.objects.commissionLevel.push({ id: 'l2', productId: 'p1', name: 'L2', type: 'Percent' });
    moved.objects.assignment[0].commissionLevelId = 'l2';
    const drift = plan(desired([], withInvite), moved).changes.find((c) => c.address.kind === 'assignment')!;
    expect(drift).toMatchObject({ action: 'update', fields: [{ field: 'commissionLevel', before: 'L2', after: 'L1' }] });
  });

  it('an unknown lookup name is a located error with a suggestion', () => {
    const d = desired([], (s) => {
      s.entries.product[0].fields.lineOfBusiness = 'Lief';
      s.entries.product[0].fieldSources.lineOfBusiness = { file: 'x.yaml', line: 9, column: 25 };
    });
    expect(plan(d, live()).diagnostics).toEqual([{ severity: 'error', message: 'unknown line of business "Lief"', hint: 'did you mean "Life"?', source: { file: 'x.yaml', line: 9, column: 25 } }]);
  });

  it('--target keeps the target and what it depends on', () => {
    const p = computePlan(desired(['1', '2']), live(), KINDS, { targets: ['assignment.2@Acme/Term'] });
    expect(p.changes.map((c) => c.address.key)).toEqual(['Acme', 'Acme/Term', 'Acme/Term/L1', '2@Acme/Term']);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(plan(desired(['1', '2']), live()))).toBe(JSON.stringify(plan(desired(['1', '2']), live())));
  });
});
