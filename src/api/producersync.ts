import type { LicenceRecord } from '../core/readiness.js';
import type { Api } from './client.js';
import { mapLimit } from '../core/concurrency.js';

/**
 * ASSUMPTIONS (SPEC §15), in one module: where ProducerSync lives and how its licence listing
 * looks. `doctor` checks them; the readiness check builds on them.
 */
export const PRODUCERSYNC_LICENSES = {
  /** Under the ProducerSync base; `npns` is a comma-separated list, `page` / `size` 0-based HAL paging. */
  path: '/v2/licenses',
  collectionKey: 'licenses',
  fields: ['npn', 'state', 'active', 'expirationDate', 'residentLicense', 'linesOfAuthority'],
  lineOfAuthorityFields: ['loaName', 'loaCategory', 'active'],
} as const;

/**
 * NPNs asked for in one licence request. 250 NPNs keep the URL near 2.5 KB (gateways commonly cap
 * URLs at 8 KB); each batch is then paged through at the list page size (1,000).
 */
export const NPN_BATCH = 250;

/**
 * ASSUMPTION: which line-of-authority categories (`loaCategory`, compared case-insensitively) license
 * each line of business. Any one of the listed categories is enough. A line of business missing
 * here is not checked (the plan says so once).
 */
export const LINE_OF_AUTHORITY_CATEGORIES: Record<string, readonly string[]> = {
  Life: ['Life'],
  Annuity: ['Life', 'Annuity'],
  'Fixed Indexed Annuity': ['Life', 'Annuity'],
  'Variable Life': ['Variable Life & Variable Annuity', 'Variable Life'],
  'Variable Annuity': ['Variable Life & Variable Annuity', 'Variable Annuity'],
  Health: ['Accident & Health', 'Health'],
  'Accident & Health': ['Accident & Health'],
  Disability: ['Accident & Health', 'Health'],
  'Long-Term Care': ['Accident & Health', 'Health', 'Long-Term Care'],
  'Medicare Supplement': ['Accident & Health', 'Health'],
  'Medicare Advantage': ['Accident & Health', 'Health'],
  Dental: ['Accident & Health', 'Health'],
  Vision: ['Accident & Health', 'Health'],
  'Property & Casualty': ['Property', 'Casualty', 'Personal Lines'],
};

/** The ProducerSync base beside the Contracting base: `…/contracting` → `…/producersync`. */
export function producersyncBeside(contractingBase: string): string {
  return contractingBase.replace(/\/+$/, '').replace(/\/contracting$/, '') + '/producersync';
}

/**
 * The licences of these producers: NPN_BATCH NPNs per request, each batch paged through with the
 * client's HAL pagination. Never one request per producer.
 */
export async function fetchLicences(api: Api, npns: readonly string[], concurrency: number): Promise<LicenceRecord[]> {
  const unique = [...new Set(npns)].sort();
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += NPN_BATCH) batches.push(unique.slice(i, i + NPN_BATCH));
  const pages = await mapLimit(batches, concurrency, (batch) =>
    api.producersync().list(PRODUCERSYNC_LICENSES.path, PRODUCERSYNC_LICENSES.collectionKey, { npns: batch.join(',') }));
  return pages.flat().map(toLicence);
}

function toLicence(raw: Record<string, unknown>): LicenceRecord {
  const lines = Array.isArray(raw.linesOfAuthority) ? (raw.linesOfAuthority as Array<Record<string, unknown>>) : [];
  return {
    npn: String(raw.npn),
    state: String(raw.state),
    active: raw.active === true,
    ...(typeof raw.expirationDate === 'string' ? { expirationDate: raw.expirationDate } : {}),
    resident: raw.residentLicense === true,
    linesOfAuthority: lines.map((l) => ({ name: String(l.loaName ?? ''), category: String(l.loaCategory ?? ''), active: l.active !== false })),
  };
}
