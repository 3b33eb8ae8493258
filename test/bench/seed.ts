/**
 * Seeds a large book straight into an emulator (zero latency, 32 keep-alive clients) with the very
 * requests `downline apply` sends — one assignment POST per producer (`npns:` form) or one
 * invitation per producer — so a 100,000-producer no-op plan can be measured without first timing
 * a 100,000-request apply. The catalog must exist already (apply `catalogConfig()` first).
 */
import { Agent, request } from 'node:http';
import type { Emulator } from '../../src/emulator/server.js';
import { STATUS_BY_NAME } from '../../src/emulator/lookups.js';
import { contractOf, npnOf } from './generate.js';

export async function seedBook(em: Emulator, n: number, form: 'npns' | 'invites'): Promise<void> {
  const token = await (await fetch(em.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=${em.credentials.clientId}&client_secret=${em.credentials.clientSecret}` })).json() as { access_token: string };
  const d = em.store.data;
  const carrierId = new Map(d.carriers.map((c) => [c.name, c.id]));
  const productId = new Map(d.products.map((p) => [`${p.carrierId}|${p.name}`, p.id]));
  const levelId = new Map(d.levels.map((l) => [`${l.productId}|${l.name}`, l.id]));
  const approved = STATUS_BY_NAME.get('APPROVED')!.id;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const post = (path: string, body: object) => new Promise<void>((resolve, reject) => {
    const req = request(new URL(`${em.baseUrl}${path}`), { method: 'POST', agent, headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' } }, (res) => {
      res.resume().on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`seeding: POST ${path} → ${res.statusCode}`))));
    });
    req.on('error', reject).end(JSON.stringify(body));
  });
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let i = next++; i < n; i = next++) {
      const k = contractOf(i);
      const carrier = carrierId.get(k.carrier)!;
      const product = productId.get(`${carrier}|${k.product}`)!;
      const level = levelId.get(`${product}|${k.level}`)!;
      if (form === 'npns') await post('/v1/customers/contractAssignments', { npn: npnOf(i), productId: product, commissionLevelId: level, assignmentStatusId: approved });
      else {
        await post('/v1/invitation', {
          producer: { npn: npnOf(i), email: `p${i}@bench.example`, firstName: `P${i}`, lastName: 'Bench', inviter: { firstName: 'Bench', lastName: 'Admin', email: 'admin@bench.example' } },
          contractAssignments: [{ toOrganizationId: carrier, fromOrganizationId: '00000000-0000-4000-8000-00000000be4c', productId: product, commissionLevelId: level }],
        });
      }
    }
  }));
  agent.destroy();
}
