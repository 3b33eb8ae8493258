import { dnsCheck, hostCheck, scopesCheck, tlsCheck, tokenCheck } from './connectivity.js';
import type { DoctorContext } from './context.js';
import * as read from './read-checks.js';
import * as service from './service-checks.js';
import { skipped, type Outcome } from './types.js';

export interface Check {
  id: string;
  group: 'connection' | 'contracting' | 'hierarchies' | 'producersync' | 'turris' | 'write probe';
  assumption: string;
  /** The constant (and file) that decides it in the client. */
  constant: string;
  /** `env` and `read` run always; `probe` only with --write-probe (its outcome comes from the probe run). */
  mode: 'env' | 'read' | 'probe';
  run?: (ctx: DoctorContext) => Promise<Outcome>;
  /** Run after every other check (it reads the responses they caused). */
  last?: boolean;
}

/** Assumptions doctor leaves alone on purpose: checking them would reach a real person. */
const never = (why: string) => async () => skipped(why);

/**
 * Every check doctor makes, in the order it reports them. The README's assumptions table names
 * these ids.
 */
export const CHECKS: Check[] = [
  { id: 'dns', group: 'connection', mode: 'env', assumption: 'the token and API hosts resolve', constant: 'AGENTSYNC_BASE_URL / AGENTSYNC_TOKEN_URL defaults in src/commands/connect.ts', run: dnsCheck },
  { id: 'tls', group: 'connection', mode: 'env', assumption: 'the TLS handshake succeeds', constant: 'DEFAULTS in src/commands/connect.ts', run: tlsCheck },
  { id: 'host', group: 'connection', mode: 'env', assumption: 'the token endpoint and the API answer', constant: 'DEFAULTS in src/commands/connect.ts', run: hostCheck },
  { id: 'token', group: 'connection', mode: 'env', assumption: 'client credentials are accepted (form body) and the token says when it expires', constant: 'createApi in src/api/client.ts, TokenCache in src/api/token.ts', run: tokenCheck },
  { id: 'scopes', group: 'connection', mode: 'env', assumption: 'the token carries rino_api_agency_read, _write and _delete', constant: 'SCOPE in src/commands/connect.ts', run: scopesCheck },
  { id: 'collection-keys', group: 'contracting', mode: 'read', assumption: 'lists carry _embedded.carriers / products / commissionLevels / contractAssignments and the lookup names', constant: 'each kind\'s listing (src/kinds/*.ts), LOOKUP_TABLES in src/api/discover.ts', run: read.collectionKeys },
  { id: 'hal-shape', group: 'contracting', mode: 'read', assumption: 'every list is HAL: page metadata, _links.self, _embedded absent when empty', constant: 'list (HalBody) in src/api/http.ts', run: read.halShape },
  { id: 'list-endpoints', group: 'contracting', mode: 'read', assumption: 'products list under carriers/{id}/products, levels under {productId}/commissionLevels', constant: 'the listing of src/kinds/product.ts and commission-level.ts', run: read.listEndpoints },
  { id: 'paging', group: 'contracting', mode: 'read', assumption: 'page (0-based) and size are honoured', constant: 'list in src/api/http.ts', run: read.paging },
  { id: 'page-size', group: 'contracting', mode: 'read', assumption: 'a page of 1000 items may be asked for', constant: 'LIST_PAGE_SIZE in src/api/http.ts', run: read.pageSize },
  { id: 'unfiltered-assignments', group: 'contracting', mode: 'read', assumption: 'GET /v1/customers/contractAssignments without npn lists every assignment', constant: 'listAllAssignments in src/kinds/assignment-live.ts', run: read.unfilteredAssignments },
  { id: 'carried-fields', group: 'contracting', mode: 'read', assumption: 'products carry carrierId; assignments carry npn, productId, commissionLevelId, assignmentStatusId, administrativeDivisions', constant: 'liveView in src/kinds/product.ts and src/kinds/assignment.ts', run: read.carriedFields },
  { id: 'list-vs-single', group: 'contracting', mode: 'read', assumption: 'a list item (as discovery normalises it) and a single GET of the same object carry the same fields', constant: 'the kinds\' discover (src/kinds/*.ts), fingerprint in src/core/fingerprint.ts', run: read.listVersusSingle },
  { id: 'read-back', group: 'contracting', mode: 'read', assumption: 'only the documented fields are read back (carrier naic, tin; product lookup ids; level type, firstYearValue, level)', constant: 'liveView in src/kinds/*.ts (fields not read back are reported as uncomparable)', run: read.readBack },
  { id: 'level-type-casing', group: 'contracting', mode: 'read', assumption: 'commission level type is Percent / Dollar / Number on the wire', constant: 'COMMISSION_TYPE_WIRE in src/kinds/commission-level.ts', run: read.levelTypeCasing },
  { id: 'lookups', group: 'contracting', mode: 'read', assumption: 'the four lookup lists exist and carry id and name', constant: 'fetchLookups in src/api/discover.ts', run: read.lookupsPresent },
  { id: 'terminal-statuses', group: 'contracting', mode: 'read', assumption: 'the assignment statuses include TERMINATED and the other terminal names downline enforces', constant: 'TERMINAL_STATUSES in src/core/statuses.ts', run: read.terminalStatuses },
  { id: 'rate-limit-headers', group: 'contracting', mode: 'read', assumption: 'responses carry ratelimit-limit / -remaining / -reset (or X-RateLimit-*)', constant: 'Pacer in src/api/pacer.ts', run: read.rateLimitHeaders, last: true },
  { id: 'hierarchies', group: 'hierarchies', mode: 'read', assumption: 'product hierarchies (decoratedProductHierarchyList), node lists, search and changelog (hierarchyChangelogViewList) answer for the org', constant: 'HIERARCHY_KEYS in src/api/hierarchies.ts', run: service.hierarchies },
  { id: 'producersync', group: 'producersync', mode: 'read', assumption: 'GET …/producersync/v2/licenses?npns= answers HAL licences with npn, state, active, expirationDate, residentLicense, linesOfAuthority', constant: 'PRODUCERSYNC_LICENSES in src/api/producersync.ts', run: service.producersync },
  { id: 'turris-auth', group: 'turris', mode: 'read', assumption: 'POST /v1/auth/jwt {clientId, clientSecret} → data.accessToken', constant: 'createApi (turris) in src/api/client.ts', run: service.turrisAuth },
  { id: 'turris-templates', group: 'turris', mode: 'read', assumption: 'GET /v1/contract-container-templates lists templates (_id, name, status) in data', constant: 'discoverAssociations in src/kinds/turris-invite.ts', run: service.turrisTemplates },
  { id: 'turris-associations', group: 'turris', mode: 'read', assumption: 'GET /v1/downstream-entity-associations lists associations in data', constant: 'discoverAssociations in src/kinds/turris-invite.ts', run: service.turrisAssociations },
  { id: 'turris-invite', group: 'turris', mode: 'read', assumption: 'a Turris invite answers no id and its association exists at once', constant: 'src/kinds/turris-invite.ts', run: never('doctor never sends a Turris invitation: it would email an agency') },
  { id: 'probe-create', group: 'write probe', mode: 'probe', assumption: 'creates answer 201 with the object; products carry carrierId; bulk level create answers the created levels, matched to the request by name', constant: 'createdId in src/kinds/*.ts, bulk creates in src/core/apply-plan.ts' },
  { id: 'probe-level-type', group: 'write probe', mode: 'probe', assumption: 'a level sent with type Percent is accepted and read back as sent', constant: 'COMMISSION_TYPE_WIRE in src/kinds/commission-level.ts' },
  { id: 'probe-read-back', group: 'write probe', mode: 'probe', assumption: 'objects created with every declarable field read back the documented ones', constant: 'liveView in src/kinds/*.ts' },
  { id: 'probe-put-single', group: 'write probe', mode: 'probe', assumption: 'PUT on carriers/{id}, products/{id}, commissionLevels/{id} answers 200 and updates', constant: 'update in src/kinds/*.ts' },
  { id: 'probe-put-keeps', group: 'write probe', mode: 'probe', assumption: 'a PUT sets the fields in its body and keeps the others', constant: 'update bodies in src/kinds/*.ts' },
  { id: 'probe-put-bulk', group: 'write probe', mode: 'probe', assumption: 'PUT commissionLevels/bulk and contractAssignments/bulk take an object body and answer 200', constant: 'batch (wrap) in src/kinds/commission-level.ts and src/kinds/assignment.ts' },
  { id: 'probe-assignment-fields', group: 'write probe', mode: 'probe', assumption: 'uplineNpn, terminationReason and endDate are accepted on an assignment and read back', constant: 'ASSIGNMENT_LIFECYCLE_FIELDS in src/kinds/common.ts' },
  { id: 'probe-deletes', group: 'write probe', mode: 'probe', assumption: 'DELETE on assignments, levels and products answers 204; carriers cannot be deleted', constant: 'src/kinds/{product,commission-level,assignment}.ts' },
  { id: 'invitation', group: 'write probe', mode: 'read', assumption: 'an invitation\'s inline contractAssignments create those assignments', constant: 'src/kinds/invite.ts', run: never('doctor never sends an invitation: it would email a producer') },
];

