import { randomBytes } from 'node:crypto';

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
