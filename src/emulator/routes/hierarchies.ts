import { fail, halPage, ok, type EmRequest } from '../http.js';
import { stableUuid } from '../ids.js';
import { ANNUALIZATIONS, ASSIGNMENT_STATUSES, LINES_OF_BUSINESS, TERMINAL_STATUSES } from '../lookups.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { Assignment, AssignmentChange, Product } from '../store.js';
import { personIdOf } from './assignments.js';

/** The Hierarchies API, derived (read-only) from contract assignments, their uplines and change history. */
const STATUS = new Map(ASSIGNMENT_STATUSES.map((s) => [s.id, s]));
const LOB = new Map(LINES_OF_BUSINESS.map((l) => [l.id, l.name]));
const ANN = new Map(ANNUALIZATIONS.map((a) => [a.id, a.name]));
const PROPORTION: Record<string, number> = { None: 0, Monthly: 1 / 12, Quarterly: 0.25, 'Semi-Annual': 0.5, Annual: 1, 'Six Months': 0.5, 'Nine Months': 0.75 };

const hierarchyIdOf = (productId: string) => stableUuid(`productHierarchy:${productId}`);

function productOfHierarchy(ctx: RouteContext, id: string): Product {
  return ctx.store.data.products.find((p) => hierarchyIdOf(p.id) === id) ?? fail(404, 'Product hierarchy not found.');
}

function record(ctx: RouteContext, p: Product): object {
  const carrier = ctx.store.carrier(p.carrierId);
  const edits = ctx.store.data.assignments.filter((a) => a.productId === p.id).flatMap((a) => a.changes.map((c) => c.modifiedDate)).sort();
  return {
    id: hierarchyIdOf(p.id), organizationId: p.carrierId, organizationName: carrier?.name ?? null, productId: p.id, productName: p.name,
    lineOfBusinessName: LOB.get(p.lineOfBusinessId) ?? null, lastEditedBy: stableUuid('user:api'), lastEditedByName: 'API Client',
    lastEditedAt: (edits[edits.length - 1] ?? carrier?.createdDate ?? null),
    _links: { self: { href: `/contracting/v1/productHierarchies/${hierarchyIdOf(p.id)}` }, product: { href: `/contracting/v1/products/${p.id}` }, organization: { href: `/contracting/v1/organizations/${p.carrierId}` } },
  };
}

const producerName = (ctx: RouteContext, npn: string | null): string | null => {
  if (npn === null) return null;
  const person = ctx.store.data.persons[npn];
  return person ? `${person.firstName} ${person.lastName}` : `Producer ${npn}`;
};

function activeAt(a: Assignment, date: string): AssignmentChange | undefined {
  return a.changes.find((c) => c.startDate <= date && (c.endDate === null || c.endDate > date));
}

function parseDate(req: EmRequest, ctx: RouteContext): string {
  const date = req.query.get('date');
  if (date === null) return ctx.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(400, 'date must be formatted yyyy-MM-dd.');
  return date;
}

/** The flat node list of one product at a date, with upline ids and root-to-node paths. */
function nodesOf(ctx: RouteContext, product: Product, date: string): Record<string, unknown>[] {
  const carrier = ctx.store.carrier(product.carrierId);
  const active = ctx.store.data.assignments.filter((a) => a.productId === product.id).map((a) => ({ a, c: activeAt(a, date) })).filter((x) => x.c) as Array<{ a: Assignment; c: AssignmentChange }>;
  const byNpn = new Map(active.map((x) => [x.a.npn, x]));
  const pathOf = (x: { a: Assignment; c: AssignmentChange }): string[] => {
    const path = [x.c.id];
    const seen = new Set([x.a.npn]);
    let up = x.c.uplineNpn ? byNpn.get(x.c.uplineNpn) : undefined;
    while (up && !seen.has(up.a.npn)) {
      path.unshift(up.c.id);
      seen.add(up.a.npn);
      up = up.c.uplineNpn ? byNpn.get(up.c.uplineNpn) : undefined;
    }
    return path;
  };
  return active.map((x) => {
    const upline = x.c.uplineNpn ? byNpn.get(x.c.uplineNpn) : undefined;
    const status = STATUS.get(x.c.assignmentStatusId);
    const level = ctx.store.level(x.c.commissionLevelId);
    const annualization = product.annualizationId ? ANN.get(String(product.annualizationId)) ?? null : null;
    return {
      contractAssignmentId: x.a.id, contractAssignmentChangeId: x.c.id, uplineContractAssignmentChangeId: upline?.c.id ?? null,
      assignmentStatusId: x.c.assignmentStatusId, assignmentStatusName: status?.description ?? null, producerName: producerName(ctx, x.a.npn),
      personId: personIdOf(x.a.npn), npn: x.a.npn, productId: product.id, productName: product.name, commissionLevelName: level?.name ?? null,
      level: level?.level ?? null, stateAbbreviations: x.c.administrativeDivisions, toOrganizationName: carrier?.name ?? null,
      startDate: x.c.startDate, endDate: x.c.endDate, active: !TERMINAL_STATUSES.has(status?.name ?? ''), writingNumber: null, path: pathOf(x),
      uplineName: upline ? producerName(ctx, upline.a.npn) : null, uplineAssignmentStatusName: upline ? STATUS.get(upline.c.assignmentStatusId)?.description ?? null : null,
      annualizationName: annualization, annualizationProportion: annualization ? PROPORTION[annualization] ?? null : null, partnershipId: null, partnershipName: null,
    };
  });
}

function changelog(ctx: RouteContext, product: Product): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  // Deleted contracts keep their history: the changelog is an audit log (README assumptions table).
  for (const a of [...ctx.store.data.assignments, ...(ctx.store.data.deletedAssignments ?? [])].filter((x) => x.productId === product.id)) {
    for (const c of a.changes) {
      entries.push({
        contractAssignmentChangeId: c.id, contractAssignmentId: a.id, contractAssignmentDisplayNumber: a.displayNumber,
        producerName: producerName(ctx, a.npn), uplineName: producerName(ctx, c.uplineNpn), commissionLevelName: ctx.store.level(c.commissionLevelId)?.name ?? null,
        writingNumber: null, contractAssignmentChangeAssignmentStatusName: STATUS.get(c.assignmentStatusId)?.description ?? null,
        contractAssignmentAssignmentStatusName: STATUS.get(a.assignmentStatusId)?.description ?? null,
        effectiveDate: c.startDate, expirationDate: c.endDate, startDate: c.startDate, endDate: c.endDate, modifiedDate: c.modifiedDate, modifiedByName: c.modifiedByName ?? 'API Client',
      });
    }
  }
  return entries;
}

function sorted<T extends Record<string, unknown>>(items: T[], sort: string | null, fallback: string): T[] {
  const [field, direction] = (sort ?? fallback).split(',');
  const sign = direction === 'desc' ? -1 : 1;
  return [...items].sort((x, y) => (String(x[field] ?? '') < String(y[field] ?? '') ? -sign : String(x[field] ?? '') > String(y[field] ?? '') ? sign : 0));
}

const productsOfOrg = (ctx: RouteContext, orgId: string): Product[] => {
  if (!ctx.store.carrier(orgId)) fail(404, 'Organization not found.');
  return ctx.store.data.products.filter((p) => p.carrierId === orgId);
};

export const hierarchyRoutes: Route[] = [
  route('GET', '/contracting/v1/organizations/:orgId/productHierarchies', 'read', (req, ctx) =>
    halPage(sorted(productsOfOrg(ctx, req.params.orgId).map((p) => record(ctx, p) as Record<string, unknown>), req.query.get('sort'), 'productName,asc'), 'decoratedProductHierarchyList', req, ctx.paging)),
  route('GET', '/contracting/v1/organizations/:orgId/productHierarchies/search', 'read', (req, ctx) => {
    const name = req.query.get('productName')?.toLowerCase();
    const lobs = req.query.getAll('lineOfBusinessIds');
    const products = productsOfOrg(ctx, req.params.orgId).filter((p) => (!name || p.name.toLowerCase().includes(name)) && (lobs.length === 0 || lobs.includes(p.lineOfBusinessId)));
    return halPage(sorted(products.map((p) => record(ctx, p) as Record<string, unknown>), req.query.get('sort'), 'productName,asc'), 'decoratedProductHierarchyList', req, ctx.paging);
  }),
  route('GET', '/contracting/v1/productHierarchies/:id', 'read', (req, ctx) => ok(record(ctx, productOfHierarchy(ctx, req.params.id)))),
  route('GET', '/contracting/v1/productHierarchies/:id/hierarchies', 'read', (req, ctx) => ok(nodesOf(ctx, productOfHierarchy(ctx, req.params.id), parseDate(req, ctx)))),
  route('GET', '/contracting/v1/organizations/:orgId/hierarchies', 'read', (req, ctx) => {
    const date = parseDate(req, ctx);
    return ok(productsOfOrg(ctx, req.params.orgId).flatMap((p) => nodesOf(ctx, p, date)));
  }),
  route('GET', '/contracting/v1/organizations/:orgId/persons/:personId/hierarchies', 'read', (req, ctx) => {
    const date = parseDate(req, ctx);
    return ok(productsOfOrg(ctx, req.params.orgId).flatMap((p) => nodesOf(ctx, p, date)).filter((n) => n.personId === req.params.personId));
  }),
  route('GET', '/contracting/v1/productHierarchies/:id/changelog', 'read', (req, ctx) =>
    halPage(sorted(changelog(ctx, productOfHierarchy(ctx, req.params.id)), req.query.get('sort'), 'modifiedDate,desc'), 'hierarchyChangelogViewList', req, ctx.paging)),
];
