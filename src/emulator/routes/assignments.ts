import { randomBytes } from 'node:crypto';
import { fail, halPage, header, ok, type EmRequest } from '../http.js';
import { newId, stableUuid } from '../ids.js';
import { STATUS_BY_NAME, ASSIGNMENT_STATUSES, TERMINAL_STATUSES } from '../lookups.js';
import { route, type Route, type RouteContext } from '../router.js';
import type { Assignment, AssignmentChange } from '../store.js';
import { Checks, objectBody, pick, USER_DEFINED_FIELDS } from '../validation.js';

const STATUS_IDS = new Set(ASSIGNMENT_STATUSES.map((s) => s.id));
const STATUS_BY_ID = new Map(ASSIGNMENT_STATUSES.map((s) => [s.id, s.name]));
const TRACKED = ['commissionLevelId', 'assignmentStatusId', 'uplineNpn', 'administrativeDivisions'] as const;

/** yyyy-MM-dd naming a day that exists (2027-02-30 is refused, as a date parser would). */
const realDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

export const personIdOf = (npn: string): string => stableUuid(`person:${npn}`);

/**
 * Who the Hierarchies changelog says made a change: the `x-emulator-user` header of the write (an
 * emulator-only hook, so a test can play "Jane Admin" editing in the AgentSync UI), else the API client.
 */
export const EMULATOR_USER_HEADER = 'x-emulator-user';
const modifierOf = (req: EmRequest): string => header(req, EMULATOR_USER_HEADER) ?? 'API Client';

/** Read-back shape of an assignment (SPEC §8 assumption: these fields are carried). */
export function presentAssignment(a: Assignment): object {
  return {
    id: a.id, npn: a.npn, productId: a.productId, commissionLevelId: a.commissionLevelId, assignmentStatusId: a.assignmentStatusId,
    administrativeDivisions: a.administrativeDivisions, personId: personIdOf(a.npn),
    ...pick(a, ['uplineNpn', 'terminationReason', 'endDate']),
    _links: { self: { href: `/v1/customers/contractAssignments/${a.id}` } },
  };
}

function validate(ctx: RouteContext, body: Record<string, unknown>, creating: boolean, prefix = ''): void {
  const checks = new Checks();
  if (creating) checks.required(`${prefix}npn`, body.npn).required(`${prefix}productId`, body.productId).required(`${prefix}commissionLevelId`, body.commissionLevelId);
  checks.string(`${prefix}npn`, body.npn, 15).string(`${prefix}uplineNpn`, body.uplineNpn, 15).string(`${prefix}terminationReason`, body.terminationReason, 255).divisions(`${prefix}administrativeDivisions`, body.administrativeDivisions).userDefined(body).done();
  if (body.productId !== undefined && !ctx.store.product(String(body.productId))) fail(404, 'Product not found.');
  if (body.commissionLevelId !== undefined) {
    const level = ctx.store.level(String(body.commissionLevelId)) ?? fail(404, 'Commission level not found.');
    if (body.productId !== undefined && level.productId !== body.productId) fail(400, `${prefix}commissionLevelId does not belong to the product.`);
  }
  // The hierarchy is built from uplines: an upline must hold a contract on the same product.
  const productId = body.productId === undefined ? undefined : String(body.productId);
  if (typeof body.uplineNpn === 'string' && body.uplineNpn !== '' && productId && !ctx.store.assignmentsOf(body.uplineNpn).some((x) => x.productId === productId)) {
    fail(400, `${prefix}uplineNpn ${body.uplineNpn} holds no contract assignment on product ${productId}.`);
  }
  if (body.endDate !== undefined && (typeof body.endDate !== 'string' || !realDate(body.endDate))) fail(400, `${prefix}endDate must be formatted yyyy-MM-dd.`);
  if (body.assignmentStatusId !== undefined && !STATUS_IDS.has(String(body.assignmentStatusId))) fail(404, 'Assignment status not found.');
}

function changeOf(ctx: RouteContext, a: Pick<Assignment, 'commissionLevelId' | 'assignmentStatusId' | 'administrativeDivisions'> & { uplineNpn?: unknown }, modifiedByName: string): AssignmentChange {
  return {
    modifiedByName,
    id: newId(), startDate: ctx.today(), endDate: null, commissionLevelId: a.commissionLevelId, assignmentStatusId: a.assignmentStatusId,
    uplineNpn: typeof a.uplineNpn === 'string' ? a.uplineNpn : null, administrativeDivisions: a.administrativeDivisions, modifiedDate: ctx.now().toISOString(),
  };
}

export function createAssignment(ctx: RouteContext, req: EmRequest, body: Record<string, unknown>, defaultStatus: string): Assignment {
  const assignment = {
    ...pick(body, ['uplineNpn', 'terminationReason', 'endDate', 'toOrganizationId', 'fromOrganizationId', ...USER_DEFINED_FIELDS]),
    id: newId(),
    npn: String(body.npn),
    productId: String(body.productId),
    commissionLevelId: String(body.commissionLevelId),
    assignmentStatusId: String(body.assignmentStatusId ?? STATUS_BY_NAME.get(defaultStatus)!.id),
    administrativeDivisions: (body.administrativeDivisions as string[] | undefined) ?? [],
    displayNumber: `CA-${String(ctx.store.nextNumber()).padStart(5, '0')}`,
    createdDate: ctx.now().toISOString(),
    changes: [],
  } as Assignment;
  assignment.changes.push(changeOf(ctx, assignment, modifierOf(req)));
  ctx.store.addAssignment(assignment);
  return assignment;
}

/** Apply an update; a change to a tracked field starts a new point-in-time change (hierarchy history). */
function update(ctx: RouteContext, req: EmRequest, a: Assignment, body: Record<string, unknown>): void {
  const before = TRACKED.map((f) => JSON.stringify(a[f] ?? null)).join('|');
  Object.assign(a, pick(body, ['commissionLevelId', 'assignmentStatusId', 'administrativeDivisions', 'uplineNpn', 'terminationReason', 'endDate', ...USER_DEFINED_FIELDS]));
  if (TRACKED.map((f) => JSON.stringify(a[f] ?? null)).join('|') === before) return;
  const current = a.changes[a.changes.length - 1];
  // A termination takes effect on its endDate (point-in-time views before it still show the position active).
  const terminal = TERMINAL_STATUSES.has(STATUS_BY_ID.get(a.assignmentStatusId) ?? '');
  const endDate = terminal && typeof a.endDate === 'string' ? a.endDate : undefined;
  const start = endDate && current && endDate > current.startDate ? endDate : ctx.today();
  if (current) current.endDate = start;
  a.changes.push({ ...changeOf(ctx, a, modifierOf(req)), startDate: start });
}

function findAssignment(ctx: RouteContext, id: string): Assignment {
  return ctx.store.assignment(id) ?? fail(404, 'Contract assignment not found.');
}

export const assignmentRoutes: Route[] = [
  route('GET', '/contracting/v1/customers/contractAssignments', 'read', (req, ctx) => {
    const npn = req.query.get('npn');
    const items = npn !== null ? ctx.store.assignmentsOf(npn) : ctx.store.data.assignments;
    return halPage(ctx.store.listed(items), 'contractAssignments', req, ctx.paging, presentAssignment);
  }),
  route('POST', '/contracting/v1/customers/contractAssignments', 'write', (req, ctx) => {
    const body = objectBody(req.body);
    validate(ctx, body, true);
    return ok(presentAssignment(createAssignment(ctx, req, body, 'PENDING_WITH_AGENCY')), 201);
  }),
  route('PUT', '/contracting/v1/customers/contractAssignments/bulk', 'write', (req, ctx) => {
    if (Array.isArray(req.body)) fail(400, 'Request body must be a JSON object with a contractAssignments array, not an array.');
    const items = objectBody(req.body).contractAssignments;
    if (!Array.isArray(items)) fail(400, 'contractAssignments must be an array.');
    const bodies = items.map((item) => objectBody(item));
    const targets = bodies.map((b, i) => {
      const a = findAssignment(ctx, String(b.id));
      validate(ctx, { ...b, productId: a.productId }, false, `contractAssignments[${i}].`);
      return a;
    });
    targets.forEach((a, i) => update(ctx, req, a, bodies[i]));
    return ok({ contractAssignments: targets.map(presentAssignment) });
  }, { bulk: true }),
  route('GET', '/contracting/v1/customers/contractAssignments/:id', 'read', (req, ctx) => ok(presentAssignment(findAssignment(ctx, req.params.id)))),
  route('PUT', '/contracting/v1/customers/contractAssignments/:id', 'write', (req, ctx) => {
    const a = findAssignment(ctx, req.params.id);
    const body = objectBody(req.body);
    validate(ctx, { ...body, productId: a.productId }, false);
    update(ctx, req, a, body);
    return ok(presentAssignment(a));
  }),
  route('DELETE', '/contracting/v1/customers/contractAssignments/:id', 'delete', (req, ctx) => {
    findAssignment(ctx, req.params.id);
    ctx.store.removeAssignment(req.params.id);
    return { status: 204 };
  }),
  route('POST', '/contracting/v1/invitation', 'write', (req, ctx) => {
    const body = objectBody(req.body);
    const producer = objectBody(body.producer ?? fail(400, 'producer must not be null.'));
    const checks = new Checks();
    for (const f of ['npn', 'email', 'firstName', 'lastName']) checks.required(`producer.${f}`, producer[f]);
    checks.string('producer.npn', producer.npn, 15);
    if (typeof producer.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(producer.email)) checks.messages.push('producer.email must be a well-formed email address.');
    const contracts = Array.isArray(body.contractAssignments) ? body.contractAssignments.map((c) => objectBody(c)) : [];
    contracts.forEach((c, i) => {
      checks.required(`contractAssignments[${i}].toOrganizationId`, c.toOrganizationId).required(`contractAssignments[${i}].productId`, c.productId)
        .required(`contractAssignments[${i}].commissionLevelId`, c.commissionLevelId);
    });
    checks.done();
    // Check every contract before creating any, so a bad one never half-applies an invitation.
    contracts.forEach((c, i) => {
      const carrier = ctx.store.carrier(String(c.toOrganizationId)) ?? fail(404, `Organization ${String(c.toOrganizationId)} not found.`);
      validate(ctx, { ...c, npn: producer.npn }, true, `contractAssignments[${i}].`);
      if (ctx.store.product(String(c.productId))?.carrierId !== carrier.id) fail(400, `contractAssignments[${i}].productId does not belong to toOrganizationId.`);
    });
    ctx.store.data.persons[String(producer.npn)] = { firstName: String(producer.firstName), lastName: String(producer.lastName) };
    const created = contracts.map((c) => createAssignment(ctx, req, { ...c, npn: producer.npn }, 'PENDING_WITH_PRODUCER'));
    const inviteLink = `https://login.emulator.invalid/tokens/${randomBytes(15).toString('base64url')}/verify`;
    ctx.store.data.invitations.push({ npn: producer.npn, email: producer.email, inviteLink, assignmentIds: created.map((a) => a.id), sentAt: ctx.now().toISOString() });
    return ok({ inviteLink }, 201);
  }),
];
