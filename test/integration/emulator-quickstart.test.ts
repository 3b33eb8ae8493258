import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startEmulator, token, type Emulator } from '../helpers/emulator.js';

let em: Emulator;
let bearer: string;
beforeEach(async () => {
  em = await startEmulator();
  bearer = await token(em);
});
afterEach(() => em.close());

const ids = async (path: string, key: string, names: string[]) => {
  const r = await call(em, bearer, 'GET', path);
  return (r.body._embedded[key] as Array<{ id: string; name: string }>).filter((i) => names.includes(i.name)).map((i) => i.id);
};

describe('the contracting quick-start, replayed step by step', () => {
  it('steps 1–6 answer as documented', async () => {
    // Step 1: a new account has no carriers — and no _embedded key at all.
    const empty = await call(em, bearer, 'GET', '/v1/customers/carriers');
    expect(empty.status).toBe(200);
    expect(empty.body._embedded).toBeUndefined();
    expect(empty.body.page).toEqual({ size: 250, totalElements: 0, totalPages: 0, number: 0 });

    // Step 2: lookups, then the carrier (arrays of lookup ids), and the 422 on a duplicate name.
    const lob = await ids('/v1/linesOfBusiness', 'linesOfBusiness', ['Life', 'Health']);
    const csm = await ids('/v1/contractSubmissionMethods', 'contractSubmissionMethods', ['Paper', 'Online']);
    expect(lob).toHaveLength(2);
    expect(csm).toHaveLength(2);
    const carrier = await call(em, bearer, 'POST', '/v1/customers/carriers', {
      name: 'Acme Insurance Company', naic: '12345', tin: '123456789', uplineFirmName: 'Acme Holdings', linesOfBusiness: lob,
      contractSubmissionMethods: csm, administrativeDivisions: ['CA', 'TX'], userDefined1: 'my-internal-id',
    });
    expect(carrier.status).toBe(201);
    expect(carrier.body).toMatchObject({ name: 'Acme Insurance Company', naic: '12345', tin: '123456789' });
    expect(carrier.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(carrier.body._links.self.href).toContain('/v1/organizations/');
    const again = await call(em, bearer, 'POST', '/v1/customers/carriers', { name: 'Acme Insurance Company' });
    expect(again.status).toBe(422);

    // Step 3: a product needs name and lineOfBusinessId.
    const [ann] = await ids('/v1/annualizations', 'annualizations', ['Monthly']);
    const product = await call(em, bearer, 'POST', `/v1/customers/carriers/${carrier.body.id}/products`, {
      name: 'Term Life — Standard', lineOfBusinessId: lob[0], displayCommissionLevelPercentages: false, contractSubmissionMethodId: csm[0], annualizationId: ann,
    });
    expect(product.status).toBe(201);
    expect(product.body).toMatchObject({ name: 'Term Life — Standard', carrierId: carrier.body.id, lineOfBusinessId: lob[0], annualizationId: ann });
    const noLob = await call(em, bearer, 'POST', `/v1/customers/carriers/${carrier.body.id}/products`, { name: 'X' });
    expect(noLob.status).toBe(400);
    expect(noLob.body.messages).toContain('lineOfBusinessId must not be blank.');

    // Step 4: levels, one and in bulk (array body, answered in request order).
    const single = await call(em, bearer, 'POST', `/v1/customers/${product.body.id}/commissionLevels`, { name: 'Standard Commission', type: 'Percent', firstYearValue: 55.0, level: 1 });
    expect(single.status).toBe(201);
    expect(single.body).toMatchObject({ name: 'Standard Commission', type: 'Percent', firstYearValue: 55, level: 1 });
    const bulk = await call(em, bearer, 'POST', `/v1/customers/${product.body.id}/commissionLevels/bulk`, [
      { name: 'Level 1 — 55%', type: 'Percent', firstYearValue: 55, level: 1 },
      { name: 'Level 2 — 60%', type: 'Percent', firstYearValue: 60, level: 2 },
    ]);
    expect(bulk.status).toBe(201);
    expect(bulk.body.map((l: { name: string }) => l.name)).toEqual(['Level 1 — 55%', 'Level 2 — 60%']);
    const listed = await call(em, bearer, 'GET', `/v1/customers/carriers/${carrier.body.id}/products`);
    expect(listed.body._embedded.products).toHaveLength(1);

    // Step 5: look the producer up, then create the assignment.
    const before = await call(em, bearer, 'GET', '/v1/customers/contractAssignments?npn=15645555');
    expect(before.body._embedded).toBeUndefined();
    const statuses = await call(em, bearer, 'GET', '/v1/assignmentStatuses?size=100');
    expect(statuses.body.page.totalElements).toBeGreaterThanOrEqual(30);
    const approved = statuses.body._embedded.assignmentStatuses.find((s: { name: string }) => s.name === 'APPROVED');
    expect(approved.description).toBe('Approved');
    const assignment = await call(em, bearer, 'POST', '/v1/customers/contractAssignments', { npn: '15645555', productId: product.body.id, commissionLevelId: single.body.id, assignmentStatusId: approved.id });
    expect(assignment.status).toBe(201);
    expect(assignment.body).toMatchObject({ npn: '15645555', productId: product.body.id, commissionLevelId: single.body.id, assignmentStatusId: approved.id });
    const after = await call(em, bearer, 'GET', '/v1/customers/contractAssignments?npn=15645555');
    expect(after.body._embedded.contractAssignments).toHaveLength(1);

    // Step 6: the invitation creates its contracts inline and answers with a link.
    const invite = await call(em, bearer, 'POST', '/v1/invitation', {
      producer: { npn: '15645556', email: 'producer@example.com', firstName: 'Jane', lastName: 'Smith', inviter: { firstName: 'Admin', lastName: 'User', email: 'admin@youragency.com' } },
      contractAssignments: [{ administrativeDivisions: ['CO', 'CA'], toOrganizationId: carrier.body.id, fromOrganizationId: 'org', productId: product.body.id, commissionLevelId: single.body.id, uplineNpn: '15645555' }],
    });
    expect(invite.status).toBe(201);
    expect(invite.body.inviteLink).toMatch(/^https:\/\/.+\/verify$/);
    const invited = await call(em, bearer, 'GET', '/v1/customers/contractAssignments?npn=15645556');
    expect(invited.body._embedded.contractAssignments[0]).toMatchObject({ productId: product.body.id, administrativeDivisions: ['CO', 'CA'] });
  });
});

describe('the hierarchies quick-start reads', () => {
  it('derives product hierarchies, the node list with paths, search and the changelog', async () => {
    const carrier = (await call(em, bearer, 'POST', '/v1/customers/carriers', { name: 'Acme IMO' })).body;
    const [lob] = await ids('/v1/linesOfBusiness', 'linesOfBusiness', ['Life']);
    const product = (await call(em, bearer, 'POST', `/v1/customers/carriers/${carrier.id}/products`, { name: 'Term Life 10-Year', lineOfBusinessId: lob })).body;
    const levels = (await call(em, bearer, 'POST', `/v1/customers/${product.id}/commissionLevels/bulk`, [
      { name: 'L1', type: 'Percent', level: 100 }, { name: 'L2', type: 'Percent', level: 90 }, { name: 'L3', type: 'Percent', level: 80 },
    ])).body;
    for (const [npn, upline, level] of [['100', undefined, 0], ['200', '100', 1], ['300', '200', 2]] as const) {
      const r = await call(em, bearer, 'POST', '/v1/customers/contractAssignments', { npn, productId: product.id, commissionLevelId: levels[level].id, ...(upline ? { uplineNpn: upline } : {}) });
      expect(r.status).toBe(201);
    }
    const records = await call(em, bearer, 'GET', `/v1/organizations/${carrier.id}/productHierarchies`);
    const record = records.body._embedded.decoratedProductHierarchyList[0];
    expect(record).toMatchObject({ organizationId: carrier.id, organizationName: 'Acme IMO', productId: product.id, productName: 'Term Life 10-Year', lineOfBusinessName: 'Life' });
    const search = await call(em, bearer, 'GET', `/v1/organizations/${carrier.id}/productHierarchies/search?productName=term`);
    expect(search.body._embedded.decoratedProductHierarchyList).toHaveLength(1);
    const nothing = await call(em, bearer, 'GET', `/v1/organizations/${carrier.id}/productHierarchies/search?productName=whole`);
    expect(nothing.body._embedded).toBeUndefined();

    const nodes = (await call(em, bearer, 'GET', `/v1/productHierarchies/${record.id}/hierarchies`)).body as Array<Record<string, any>>;
    expect(nodes).toHaveLength(3);
    const root = nodes.find((n) => n.uplineContractAssignmentChangeId === null)!;
    const leaf = nodes.find((n) => n.path.length === 3)!;
    expect(root.commissionLevelName).toBe('L1');
    expect(leaf.path[0]).toBe(root.contractAssignmentChangeId);
    expect(leaf.uplineContractAssignmentChangeId).toBe(leaf.path[1]);
    expect(leaf.level).toBe(80);

    const log = await call(em, bearer, 'GET', `/v1/productHierarchies/${record.id}/changelog`);
    expect(log.body._embedded.hierarchyChangelogViewList).toHaveLength(3);
    const unknown = await call(em, bearer, 'GET', '/v1/productHierarchies/unknown-id/hierarchies');
    expect(unknown.status).toBe(404);
    expect(unknown.body.messages).toEqual(['Product hierarchy not found.']);
  });
});
