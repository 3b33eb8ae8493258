import { fail, halPage, ok } from '../http.js';
import { newId } from '../ids.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { Level } from '../store.js';
import { Checks, objectBody, pick, USER_DEFINED_FIELDS } from '../validation.js';
import { findProduct } from './products.js';

// The best-practices page: type is case-sensitive, exactly one of these (upper case is rejected).
const TYPES = ['Percent', 'Dollar', 'Number'];
const WRITABLE = ['name', 'type', 'firstYearValue', 'level', 'administrativeDivisions', ...USER_DEFINED_FIELDS];

/** Read-back shape of the documented commission level response, with the product it belongs to. */
export function presentLevel(l: Level): object {
  return {
    id: l.id, productId: l.productId, name: l.name, type: l.type,
    ...(l.firstYearValue !== undefined ? { firstYearValue: l.firstYearValue } : {}),
    ...(l.level !== undefined ? { level: l.level } : {}),
    _links: { self: { href: `/v1/customers/commissionLevels/${l.id}` } },
  };
}

function messagesFor(body: Record<string, unknown>, creating: boolean, prefix = ''): string[] {
  const checks = new Checks();
  if (creating) checks.required(`${prefix}name`, body.name).required(`${prefix}type`, body.type);
  checks.string(`${prefix}name`, body.name, 255).oneOf(`${prefix}type`, body.type, TYPES)
    .amount(`${prefix}firstYearValue`, body.firstYearValue).amount(`${prefix}level`, body.level)
    .divisions(`${prefix}administrativeDivisions`, body.administrativeDivisions).userDefined(body);
  return checks.messages;
}

function create(ctx: RouteContext, productId: string, body: Record<string, unknown>): Level {
  const level = { ...pick(body, WRITABLE), id: newId(), productId, name: String(body.name), type: String(body.type) } as Level;
  ctx.store.addLevel(level);
  return level;
}

function findLevel(ctx: RouteContext, id: string): Level {
  return ctx.store.level(id) ?? fail(404, 'Commission level not found.');
}

export const levelRoutes: Route[] = [
  route('PUT', '/contracting/v1/customers/commissionLevels/bulk', 'write', (req, ctx) => {
    // Documented: PUT bulk takes an object, not an array (POST bulk is the other way round).
    if (Array.isArray(req.body)) fail(400, 'Request body must be a JSON object with a commissionLevels array, not an array.');
    const items = objectBody(req.body).commissionLevels;
    if (!Array.isArray(items)) fail(400, 'commissionLevels must be an array.');
    const messages = items.flatMap((item, i) => messagesFor(objectBody(item), false, `commissionLevels[${i}].`));
    if (messages.length) fail(400, ...messages);
    const levels = items.map((item) => findLevel(ctx, String((item as { id?: unknown }).id)));
    levels.forEach((level, i) => Object.assign(level, pick(items[i] as Record<string, unknown>, WRITABLE)));
    return ok({ commissionLevels: levels.map(presentLevel) });
  }, { bulk: true }),
  route('GET', '/contracting/v1/customers/commissionLevels/:id', 'read', (req, ctx) => ok(presentLevel(findLevel(ctx, req.params.id)))),
  route('PUT', '/contracting/v1/customers/commissionLevels/:id', 'write', (req, ctx) => {
    const level = findLevel(ctx, req.params.id);
    const body = objectBody(req.body);
    const messages = messagesFor(body, false);
    if (messages.length) fail(400, ...messages);
    Object.assign(level, pick(body, WRITABLE));
    return ok(presentLevel(level));
  }),
  route('DELETE', '/contracting/v1/customers/commissionLevels/:id', 'delete', (req, ctx) => {
    const level = findLevel(ctx, req.params.id);
    const used = ctx.store.data.assignments.filter((a) => a.commissionLevelId === level.id).length;
    if (used > 0) fail(409, `Commission level is used by ${used} contract assignment(s).`);
    ctx.store.removeLevel(level.id);
    return { status: 204 };
  }),
  route('GET', '/contracting/v1/customers/:productId/commissionLevels', 'read', (req, ctx) => {
    const product = findProduct(ctx, req.params.productId);
    return halPage(ctx.store.listed(ctx.store.data.levels.filter((l) => l.productId === product.id)).map(presentLevel), 'commissionLevels', req, ctx.paging);
  }),
  route('POST', '/contracting/v1/customers/:productId/commissionLevels', 'write', (req, ctx) => {
    const product = findProduct(ctx, req.params.productId);
    const body = objectBody(req.body);
    const messages = messagesFor(body, true);
    if (messages.length) fail(400, ...messages);
    return ok(presentLevel(create(ctx, product.id, body)), 201);
  }),
  route('POST', '/contracting/v1/customers/:productId/commissionLevels/bulk', 'write', (req, ctx) => {
    const product = findProduct(ctx, req.params.productId);
    if (!Array.isArray(req.body)) fail(400, 'Request body must be a JSON array of commission levels.');
    const items = req.body.map((item) => objectBody(item));
    const messages = items.flatMap((item, i) => messagesFor(item, true, `[${i}].`));
    if (messages.length) fail(400, ...messages);
    return ok(items.map((item) => presentLevel(create(ctx, product.id, item))), 201);
  }, { bulk: true }),
];
