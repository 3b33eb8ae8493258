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

/** The ProducerSync base beside the Contracting base: `…/contracting` → `…/producersync`. */
export function producersyncBeside(contractingBase: string): string {
  return contractingBase.replace(/\/+$/, '').replace(/\/contracting$/, '') + '/producersync';
}
