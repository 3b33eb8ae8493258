import { fail, halPage, ok } from '../http.js';
import { newId } from '../ids.js';
import { ANNUALIZATIONS, LINES_OF_BUSINESS, SUBMISSION_METHODS } from '../lookups.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { Product } from '../store.js';
import { Checks, objectBody, pick, USER_DEFINED_FIELDS } from '../validation.js';
import { findCarrier } from './carriers.js';

const WRITABLE = ['name', 'lineOfBusinessId', 'contractSubmissionMethodId', 'annualizationId', 'displayCommissionLevelPercentages', 'administrativeDivisions', ...USER_DEFINED_FIELDS];
const known = (items: { id: string }[]) => new Set(items.map((i) => i.id));
const LOB = known(LINES_OF_BUSINESS);
const CSM = known(SUBMISSION_METHODS);
const ANN = known(ANNUALIZATIONS);

/** Read-back shape of the documented product response. */
export function presentProduct(p: Product): object {
  return {
    id: p.id, name: p.name, carrierId: p.carrierId, lineOfBusinessId: p.lineOfBusinessId,
    ...(p.contractSubmissionMethodId ? { contractSubmissionMethodId: p.contractSubmissionMethodId } : {}),
    ...(p.annualizationId ? { annualizationId: p.annualizationId } : {}),
    _links: { self: { href: `/v1/customers/products/${p.id}` } },
  };
}

function check(body: Record<string, unknown>, creating: boolean): void {
  const checks = new Checks();
  if (creating) checks.required('name', body.name).required('lineOfBusinessId', body.lineOfBusinessId);
  checks.string('name', body.name, 255).string('lineOfBusinessId', body.lineOfBusinessId).string('contractSubmissionMethodId', body.contractSubmissionMethodId)
    .string('annualizationId', body.annualizationId).boolean('displayCommissionLevelPercentages', body.displayCommissionLevelPercentages)
    .divisions('administrativeDivisions', body.administrativeDivisions).userDefined(body).done();
  if (body.lineOfBusinessId !== undefined && !LOB.has(body.lineOfBusinessId as string)) fail(404, 'Line of business not found.');
  if (body.contractSubmissionMethodId !== undefined && !CSM.has(body.contractSubmissionMethodId as string)) fail(404, 'Contract submission method not found.');
  if (body.annualizationId !== undefined && !ANN.has(body.annualizationId as string)) fail(404, 'Annualization not found.');
}

export function findProduct(ctx: RouteContext, id: string): Product {
  return ctx.store.product(id) ?? fail(404, 'Product not found.');
}

export const productRoutes: Route[] = [
  route('GET', '/contracting/v1/customers/carriers/:id/products', 'read', (req, ctx) => {
    const carrier = findCarrier(ctx, req.params.id);
    return halPage(ctx.store.listed(ctx.store.data.products.filter((p) => p.carrierId === carrier.id)).map(presentProduct), 'products', req, ctx.paging);
  }),
  route('POST', '/contracting/v1/customers/carriers/:id/products', 'write', (req, ctx) => {
    const carrier = findCarrier(ctx, req.params.id);
    const body = objectBody(req.body);
    check(body, true);
    const product = { ...pick(body, WRITABLE), id: newId(), carrierId: carrier.id, name: String(body.name), lineOfBusinessId: String(body.lineOfBusinessId) } as Product;
    ctx.store.addProduct(product);
    return ok(presentProduct(product), 201);
  }),
  route('GET', '/contracting/v1/customers/products/:id', 'read', (req, ctx) => ok(presentProduct(findProduct(ctx, req.params.id)))),
  route('PUT', '/contracting/v1/customers/products/:id', 'write', (req, ctx) => {
    const product = findProduct(ctx, req.params.id);
    const body = objectBody(req.body);
    check(body, false);
    Object.assign(product, pick(body, WRITABLE));
    return ok(presentProduct(product));
  }),
  route('DELETE', '/contracting/v1/customers/products/:id', 'delete', (req, ctx) => {
    const product = findProduct(ctx, req.params.id);
    const levels = ctx.store.data.levels.filter((l) => l.productId === product.id).length;
    const assignments = ctx.store.data.assignments.filter((a) => a.productId === product.id).length;
    if (levels > 0 || assignments > 0) fail(409, `Product has ${levels} commission level(s) and ${assignments} contract assignment(s); delete them first.`);
    ctx.store.removeProduct(product.id);
    return { status: 204 };
  }),
];
