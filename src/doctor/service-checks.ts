import { ApiError } from '../api/errors.js';
import { CHANGELOG_NEWEST_FIRST, HIERARCHY_KEYS } from '../api/hierarchies.js';
import { PRODUCERSYNC_LICENSES } from '../api/producersync.js';
import type { DoctorContext, HalPage } from './context.js';
import { cannot, differs, holds, type Outcome } from './types.js';

/** Read checks of the APIs beside Contracting: Hierarchies, ProducerSync and Turris. */

/** Hierarchies: the org from --org, the config's agency, else the first carrier (its id is an organization id). */
export async function hierarchies(ctx: DoctorContext): Promise<Outcome> {
  const { carrier: carriers } = await ctx.sample();
  const org = ctx.options.org ?? ctx.options.configOrg ?? carriers[0]?.id;
  if (!org) return cannot('no organization id: pass --org, set agency.organizationId in the config, or create a carrier');
  const from = ctx.options.org ? '--org' : ctx.options.configOrg ? 'the config\'s agency.organizationId' : 'the first carrier';
  const o = encodeURIComponent(org);
  const problems: string[] = [];
  const listKey = HIERARCHY_KEYS.productHierarchies;
  const path = `/v1/organizations/${o}/productHierarchies`;
  // A 404 on an id the user chose says the id is wrong, not that the endpoint differs: nothing was checked.
  const list = await ctx.page(path, { page: 0, size: 1 }).catch((cause: unknown) => {
    if (cause instanceof ApiError && cause.status === 404) return undefined;
    throw cause;
  });
  if (!list) return cannot(`GET ${path} → 404: the organization from ${from} is not one this account can see, so the Hierarchies endpoints were not read (pass --org with an organization id of this account, e.g. a carrier's id)`);
  if (list._embedded && !(listKey in list._embedded)) problems.push(`productHierarchies carries _embedded.${Object.keys(list._embedded).join()} (expected ${listKey})`);
  const nodes = await ctx.api.agentsync.get(`/v1/organizations/${o}/hierarchies`);
  if (!Array.isArray(nodes)) problems.push('organizations/{orgId}/hierarchies is not a JSON array of nodes');
  const first = (list._embedded?.[listKey] as Array<{ id: string; productName?: string }> | undefined)?.[0];
  let detail = 'no product hierarchies yet, so hierarchies/changelog of one were not read';
  if (first) {
    const [phNodes, changelog, search] = await Promise.all([
      ctx.api.agentsync.get(`/v1/productHierarchies/${encodeURIComponent(first.id)}/hierarchies`),
      ctx.page(`/v1/productHierarchies/${encodeURIComponent(first.id)}/changelog`, { page: 0, size: 1, ...CHANGELOG_NEWEST_FIRST }),
      ctx.page(`/v1/organizations/${o}/productHierarchies/search`, { productName: String(first.productName ?? ''), page: 0, size: 1 }),
    ]);
    if (!Array.isArray(phNodes)) problems.push('productHierarchies/{id}/hierarchies is not a JSON array of nodes');
    if (changelog._embedded && !(HIERARCHY_KEYS.changelog in changelog._embedded)) problems.push(`changelog carries _embedded.${Object.keys(changelog._embedded).join()} (expected ${HIERARCHY_KEYS.changelog})`);
    if (!search._embedded) problems.push('productHierarchies/search by the first hierarchy\'s product name found nothing');
    detail = 'nodes, changelog and search of one product hierarchy answer';
  }
  return problems.length ? differs(problems.join('; ')) : holds(`org from ${from}: ${Number(list.page?.totalElements ?? 0)} product hierarchies; organization nodes answer; ${detail}`);
}

export async function producersync(ctx: DoctorContext): Promise<Outcome> {
  const { assignment: assignments } = await ctx.sample();
  const npn = ctx.options.testNpn ?? (assignments[0]?.npn as string | undefined);
  if (!npn) return cannot('no NPN to ask about: pass --test-npn');
  const L = PRODUCERSYNC_LICENSES;
  const body = await ctx.api.producersync().get<HalPage>(L.path, { npns: npn, page: 0, size: 5 });
  const items = (body._embedded?.[L.collectionKey] ?? undefined) as Array<Record<string, unknown>> | undefined;
  if (body._embedded && !items) return differs(`licences carried under _embedded.${Object.keys(body._embedded).join()} (expected _embedded.${L.collectionKey})`);
  if (typeof body.page?.totalElements !== 'number') return differs(`${L.path} answered without HAL page metadata`);
  if (!items) return holds(`${L.path} answers (HAL); the producer asked about has no licences, so the fields were not seen`);
  const missing = L.fields.filter((f) => items.some((i) => !(f in i)));
  const loaMissing = L.lineOfAuthorityFields.filter((f) => items.some((i) => Array.isArray(i.linesOfAuthority) && (i.linesOfAuthority as Array<Record<string, unknown>>).some((l) => !(f in l))));
  if (missing.length || loaMissing.length) return differs(`licences lack ${[...missing, ...loaMissing.map((f) => `linesOfAuthority[].${f}`)].join(', ')}`);
  return holds(`${L.path} answers HAL pages of licences with ${L.fields.join(', ')}`);
}

/** Turris' envelope puts lists in `data`; a Turris request first authenticates (POST /v1/auth/jwt). */
async function turrisList(ctx: DoctorContext, path: string): Promise<Array<Record<string, unknown>> | Outcome> {
  let turris;
  try {
    turris = ctx.api.turris();
  } catch {
    return cannot('Turris credentials are not set (TURRIS_CLIENT_ID, TURRIS_CLIENT_SECRET)');
  }
  const body = await turris.get<{ data?: unknown }>(path);
  return Array.isArray(body.data) ? (body.data as Array<Record<string, unknown>>) : differs(`${path} answered without a data array`);
}

export async function turrisAuth(ctx: DoctorContext): Promise<Outcome> {
  try {
    const result = await turrisList(ctx, '/v1/contract-container-templates');
    if (!Array.isArray(result) && result.status === 'could-not-check') return result;
    return holds('POST /v1/auth/jwt {clientId, clientSecret} answered data.accessToken, accepted as a bearer');
  } catch (cause) {
    if (cause instanceof ApiError && cause.path.endsWith('/v1/auth/jwt')) {
      return cause.status > 0 ? differs(`Turris refused the credentials: ${cause.message}`) : cannot(`Turris was not reached: ${cause.message}`);
    }
    throw cause;
  }
}

export async function turrisTemplates(ctx: DoctorContext): Promise<Outcome> {
  const result = await turrisList(ctx, '/v1/contract-container-templates');
  if (!Array.isArray(result)) return result;
  const shapeless = result.filter((t) => typeof t._id !== 'string' || typeof t.name !== 'string');
  if (shapeless.length) return differs(`${shapeless.length} template(s) without _id and name`);
  return holds(`${result.length} template(s) with _id, name${result.every((t) => 'status' in t) ? ', status' : ''}`);
}

export async function turrisAssociations(ctx: DoctorContext): Promise<Outcome> {
  const result = await turrisList(ctx, '/v1/downstream-entity-associations');
  if (!Array.isArray(result)) return result;
  return holds(`GET /v1/downstream-entity-associations lists ${result.length} association(s) in data`);
}
