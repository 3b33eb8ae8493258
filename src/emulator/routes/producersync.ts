import { fail, halPage } from '../http.js';
import type { LicenceEntry } from '../licences.js';
import { STATE_CODES } from '../lookups.js';
import { route, type Route, type RouteContext } from '../router.js';

/** The lines of authority every default licence carries (enough for any line of business). */
const DEFAULT_LINES = ['Life', 'Accident & Health', 'Property', 'Casualty', 'Variable Life & Variable Annuity'];
const STATES = [...STATE_CODES].sort();

const twoYearsAhead = (ctx: RouteContext) => `${ctx.now().getUTCFullYear() + 2}-12-31`;
const line = (name: string) => ({ loaName: name, loaCategory: name, active: true });

/**
 * Default licence data: every NPN is licensed, active, in every state, resident in one of them
 * (picked from the NPN, so it is stable), expiring two years from today.
 */
export function defaultLicenses(ctx: RouteContext, npn: string): object[] {
  const resident = STATES[[...npn].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % STATES.length];
  const expirationDate = twoYearsAhead(ctx);
  return STATES.map((state) => ({
    npn, state, active: true, expirationDate, residentLicense: state === resident,
    licenseNumber: `${state}-${npn}`,
    linesOfAuthority: DEFAULT_LINES.map(line),
  }));
}

/** A licence-table entry as ProducerSync presents it, its omitted fields defaulted. */
function presentEntry(ctx: RouteContext, npn: string, e: LicenceEntry): object {
  return {
    npn, state: e.state, active: e.active ?? true, expirationDate: e.expirationDate ?? twoYearsAhead(ctx), residentLicense: e.residentLicense ?? false,
    licenseNumber: `${e.state}-${npn}`,
    linesOfAuthority: (e.linesOfAuthority ?? DEFAULT_LINES).map((l) => (typeof l === 'string' ? line(l) : { active: true, ...l })),
  };
}

const licencesOf = (ctx: RouteContext, npn: string): object[] => {
  const listed = ctx.licences[npn];
  return listed ? listed.map((e) => presentEntry(ctx, npn, e)) : defaultLicenses(ctx, npn);
};

/**
 * ProducerSync's own documented paging (size: default 250, at most 1,000) — not the Contracting
 * knobs (`--page-size`, `--max-page-size`), which model another API.
 */
const PRODUCERSYNC_PAGING = { defaultSize: 250, maxSize: 1000 };

/** ProducerSync `GET /v2/licenses?npns=a,b&page=&size=`: a HAL page of the licences of those producers. */
export const producersyncRoutes: Route[] = [
  route('GET', '/producersync/v2/licenses', 'read', (req, ctx) => {
    const npns = (req.query.get('npns') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    if (npns.length === 0) fail(400, 'npns is required: a comma-separated list of NPNs.');
    const bad = npns.find((n) => !/^\d{1,15}$/.test(n));
    if (bad !== undefined) fail(400, `npns: '${bad}' is not an NPN (1 to 15 digits).`);
    return halPage([...new Set(npns)].sort().flatMap((npn) => licencesOf(ctx, npn)), 'licenses', req, PRODUCERSYNC_PAGING);
  }),
];
