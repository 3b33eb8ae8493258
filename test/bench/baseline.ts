/**
 * The naive flow the vendor quick-start's reference script follows, in TypeScript, for comparison:
 * sequentially, per producer — list carriers, list products, create a commission level, list
 * statuses, look up the producer's assignments, create the assignment, send the invitation.
 */
import type { Contract } from './generate.js';

interface Target { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string }

export async function runBaseline(target: Target, producers: Array<{ npn: string; contract: Contract }>): Promise<void> {
  const tokenResponse = await fetch(target.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: target.clientId, client_secret: target.clientSecret }),
  });
  const token = ((await tokenResponse.json()) as { access_token: string }).access_token;
  const request = async (method: string, path: string, body?: unknown): Promise<any> => {
    const r = await fetch(`${target.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status}`);
    return r.json();
  };
  const lob = (await request('GET', '/v1/linesOfBusiness'))._embedded.linesOfBusiness[0].id;
  for (const { npn, contract } of producers) {
    let carrier = (await request('GET', '/v1/customers/carriers'))._embedded?.carriers?.find((c: any) => c.name === contract.carrier);
    carrier ??= await request('POST', '/v1/customers/carriers', { name: contract.carrier });
    let product = (await request('GET', `/v1/customers/carriers/${carrier.id}/products`))._embedded?.products?.find((p: any) => p.name === contract.product);
    product ??= await request('POST', `/v1/customers/carriers/${carrier.id}/products`, { name: contract.product, lineOfBusinessId: lob });
    const level = await request('POST', `/v1/customers/${product.id}/commissionLevels`, { name: contract.level, type: 'Percent', firstYearValue: 55, level: 1 });
    const status = (await request('GET', '/v1/assignmentStatuses'))._embedded.assignmentStatuses[0].id;
    const existing = (await request('GET', `/v1/customers/contractAssignments?npn=${npn}`))._embedded?.contractAssignments?.find((a: any) => a.productId === product.id);
    if (!existing) await request('POST', '/v1/customers/contractAssignments', { npn, productId: product.id, commissionLevelId: level.id, assignmentStatusId: status });
    await request('POST', '/v1/invitation', {
      producer: { npn, email: `p${npn}@bench.example`, firstName: 'P', lastName: 'Bench', inviter: { firstName: 'Bench', lastName: 'Admin', email: 'admin@bench.example' } },
      contractAssignments: [{ administrativeDivisions: [], toOrganizationId: carrier.id, fromOrganizationId: 'org', productId: product.id, commissionLevelId: level.id }],
    });
  }
}
