import { fail, halPage, ok, type EmRequest } from '../http.js';
import { newId, stableUuid } from '../ids.js';
import { LINES_OF_BUSINESS, SUBMISSION_METHODS } from '../lookups.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { Carrier } from '../store.js';
import { Checks, objectBody, pick, USER_DEFINED_FIELDS } from '../validation.js';

const WRITABLE = ['name', 'naic', 'tin', 'uplineFirmName', 'linesOfBusiness', 'contractSubmissionMethods', 'administrativeDivisions', ...USER_DEFINED_FIELDS];
const LOB_IDS = new Set(LINES_OF_BUSINESS.map((l) => l.id));
const CSM_IDS = new Set(SUBMISSION_METHODS.map((l) => l.id));

/**
 * What the API reads back for a carrier: the documented create/list responses show these fields only.
 * Lines of business, submission methods, divisions, upline firm and userDefined are write-only here
 * (the documented response links them as sub-resources instead).
 */
export function presentCarrier(c: Carrier): object {
  const { id } = c;
  return {
    createdDate: c.createdDate, modifiedDate: c.modifiedDate, id, name: c.name,
    ...(c.tin !== undefined ? { tin: c.tin } : {}), typeId: c.typeId, ...(c.naic !== undefined ? { naic: c.naic } : {}), statusId: c.statusId,
    _links: { self: { href: `/v1/organizations/${id}` }, products: { href: `/v1/organizations/${id}/products` } },
  };
}

function check(body: Record<string, unknown>, creating: boolean): void {
  const checks = new Checks();
  if (creating) checks.required('name', body.name);
  checks.string('name', body.name, 255).string('naic', body.naic, 6).string('tin', body.tin, 9).string('uplineFirmName', body.uplineFirmName, 255)
    .ids('linesOfBusiness', body.linesOfBusiness).ids('contractSubmissionMethods', body.contractSubmissionMethods)
    .divisions('administrativeDivisions', body.administrativeDivisions).userDefined(body).done();
  for (const id of (body.linesOfBusiness as string[] | undefined) ?? []) if (!LOB_IDS.has(id)) fail(404, `Line of business ${id} not found.`);
  for (const id of (body.contractSubmissionMethods as string[] | undefined) ?? []) if (!CSM_IDS.has(id)) fail(404, `Contract submission method ${id} not found.`);
}

/** Timestamps as the documented carrier response shows them: whole seconds, UTC. */
const secondsStamp = (ctx: RouteContext) => ctx.now().toISOString().replace(/\.\d+Z$/, 'Z');

export function findCarrier(ctx: RouteContext, id: string): Carrier {
  return ctx.store.carrier(id) ?? fail(404, 'Carrier not found.');
}

function nameTaken(ctx: RouteContext, name: unknown, except?: string): boolean {
  return ctx.store.data.carriers.some((c) => c.name === name && c.id !== except);
}

export const carrierRoutes: Route[] = [
  route('GET', '/contracting/v1/customers/carriers', 'read', (req, ctx) => halPage(ctx.store.listed(ctx.store.data.carriers).map(presentCarrier), 'carriers', req, ctx.paging)),
  route('POST', '/contracting/v1/customers/carriers', 'write', (req: EmRequest, ctx) => {
    const body = objectBody(req.body);
    check(body, true);
    if (nameTaken(ctx, body.name)) fail(422, `A carrier with name '${String(body.name)}' already exists.`);
    const stamp = secondsStamp(ctx);
    const carrier: Carrier = {
      ...pick(body, WRITABLE), id: newId(), name: String(body.name), createdDate: stamp, modifiedDate: stamp,
      typeId: stableUuid('organizationType:carrier'), statusId: stableUuid('organizationStatus:active'),
    };
    ctx.store.addCarrier(carrier);
    return ok(presentCarrier(carrier), 201);
  }),
  route('GET', '/contracting/v1/customers/carriers/:id', 'read', (req, ctx) => ok(presentCarrier(findCarrier(ctx, req.params.id)))),
  route('PUT', '/contracting/v1/customers/carriers/:id', 'write', (req, ctx) => {
    const carrier = findCarrier(ctx, req.params.id);
    const body = objectBody(req.body);
    check(body, false);
    if (body.name !== undefined && nameTaken(ctx, body.name, carrier.id)) fail(422, `A carrier with name '${String(body.name)}' already exists.`);
    Object.assign(carrier, pick(body, WRITABLE), { modifiedDate: secondsStamp(ctx) });
    return ok(presentCarrier(carrier));
  }),
];
