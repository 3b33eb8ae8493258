import { fail, header, ok, type EmRequest, type EmResponse } from '../http.js';
import { objectId } from '../ids.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { TurrisAssociation } from '../store.js';
import { objectBody } from '../validation.js';

export const CATEGORIES = ['agency', 'agency network', 'wholesale brokerage', 'third party administrator'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;

/** Turris wraps every success in `data` with a request id and timestamp. */
export function envelope(data: unknown, status = 200): EmResponse {
  return ok({ data, requestId: `emu-${objectId()}`, timestamp: new Date().toISOString() }, status);
}

export function defaultTemplates(): Array<Record<string, unknown> & { _id: string; name: string; status: string }> {
  const stamp = '2025-01-01T00:00:00.000Z';
  return [
    { _id: '65a0c0ffee00000000000001', name: 'Standard Producer Agreement', status: 'active', producerAgreement: { fileDocumentId: '65a0c0ffee00000000000101', customFields: [] }, createdAt: stamp, updatedAt: stamp, additionalDocuments: [{ fileDocumentId: '65a0c0ffee00000000000201', name: 'W-9 Tax Form' }] },
    { _id: '65a0c0ffee00000000000002', name: 'Wholesale Broker Agreement', status: 'active', producerAgreement: { fileDocumentId: '65a0c0ffee00000000000102', customFields: [] }, createdAt: stamp, updatedAt: stamp, additionalDocuments: [] },
    { _id: '65a0c0ffee00000000000003', name: 'Legacy Agreement 2019', status: 'archived', producerAgreement: { fileDocumentId: '65a0c0ffee00000000000103', customFields: [] }, createdAt: stamp, updatedAt: stamp, additionalDocuments: [] },
  ];
}

function present(a: TurrisAssociation): object {
  const { email: _email, ...rest } = a;
  return rest;
}

/** Idempotency keys: in-memory, one hour, must be UUIDs; a replay returns the cached response. */
const cache = new WeakMap<RouteContext['store'], Map<string, { at: number; response: EmResponse }>>();

function invite(req: EmRequest, ctx: RouteContext): EmResponse {
  const key = header(req, 'idempotency-key') ?? header(req, 'x-idempotency-key');
  if (key !== undefined && !UUID.test(key)) fail(400, 'Invalid idempotency key format. The idempotency-key must be a valid UUID');
  const seen = cache.get(ctx.store) ?? new Map();
  cache.set(ctx.store, seen);
  const hit = key ? seen.get(key) : undefined;
  if (hit && ctx.now().getTime() - hit.at < IDEMPOTENCY_TTL_MS) return hit.response;

  const body = objectBody(req.body);
  const messages: string[] = [];
  for (const f of ['downstreamEntityName', 'firstName', 'lastName', 'email', 'category']) if (typeof body[f] !== 'string' || body[f] === '') messages.push(`Field '${f}' is required`);
  for (const f of ['useInviteUrl', 'isNpnRequired']) if (typeof body[f] !== 'boolean') messages.push(`Field '${f}' is required`);
  if (typeof body.category === 'string' && !CATEGORIES.includes(body.category)) messages.push(`category must be one of: ${CATEGORIES.join(', ')}`);
  const settings = (body.onboardingSettings ?? {}) as Record<string, unknown>;
  if (body.contractContainerTemplateId && settings.isPreContractReviewStepUsed === true) messages.push('contractContainerTemplateId cannot be combined with onboardingSettings.isPreContractReviewStepUsed');
  if (messages.length) fail(400, ...messages);
  if (body.contractContainerTemplateId !== undefined && !ctx.store.data.turris.templates.some((t) => t._id === body.contractContainerTemplateId && t.status === 'active')) {
    fail(400, 'No active contract template found for that contractContainerTemplateId');
  }
  const association: TurrisAssociation = {
    _id: objectId(),
    downstreamEntity: { _id: objectId(), isNpnRequired: body.isNpnRequired, legalName: body.downstreamEntityName, category: body.category },
    ...(typeof body.producerCode === 'string' ? { producerCode: body.producerCode } : {}),
    ...(typeof body.externalId === 'string' ? { externalId: body.externalId } : {}),
    email: String(body.email),
  };
  ctx.store.addAssociation(association);
  const response = envelope(body.useInviteUrl ? { url: `https://app.turris.emulator.invalid/invite/${association._id}` } : {}, 201);
  if (key) seen.set(key, { at: ctx.now().getTime(), response });
  return response;
}

export const turrisRoutes: Route[] = [
  route('GET', '/turris/v1/auth/test-oauth', 'read', () => envelope({ ok: true })),
  route('GET', '/turris/v1/contract-container-templates', 'read', (_req, ctx) => envelope(ctx.store.data.turris.templates.filter((t) => t.status === 'active'))),
  route('GET', '/turris/v1/downstream-entity-associations', 'read', (req, ctx) => {
    const q = req.query;
    const filters = [q.has('downstreamEntityNpn'), q.has('licenseNumber') || q.has('stateCode'), q.has('emailDomain'), q.has('email')].filter(Boolean).length;
    if (filters > 1) fail(400, 'downstreamEntityNpn, licenseNumber/stateCode, emailDomain and email are mutually exclusive');
    if (q.has('licenseNumber') !== q.has('stateCode')) fail(400, 'licenseNumber and stateCode must be provided together');
    let items = ctx.store.listed(ctx.store.data.turris.associations);
    const email = q.get('email');
    const domain = q.get('emailDomain');
    const npn = q.get('downstreamEntityNpn');
    if (email !== null) items = items.filter((a) => a.email.toLowerCase() === email.toLowerCase());
    if (domain !== null) items = items.filter((a) => a.email.toLowerCase().endsWith(`@${domain.toLowerCase()}`));
    if (npn !== null) items = items.filter((a) => (a.downstreamEntity as { npn?: string }).npn === npn);
    if (q.has('licenseNumber')) items = [];
    return envelope(items.map(present));
  }),
  route('GET', '/turris/v1/downstream-entity-associations/:id', 'read', (req, ctx) => {
    const found = ctx.store.data.turris.associations.find((a) => a._id === req.params.id) ?? fail(404, 'Downstream entity association not found');
    return envelope(present(found));
  }),
  route('POST', '/turris/v1/downstream-entity-associations/invite', 'write', invite),
];
