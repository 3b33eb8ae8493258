import { isRealDate } from '../core/schedule.js';
import { UserError, type Io } from './io.js';

/**
 * The reference date for `effective:` and `until:` (SPEC §12): `--as-of`, else `DOWNLINE_AS_OF`,
 * else today (UTC). A date that does not exist is an error, never a silently different day.
 */
export function referenceDate(asOf: string | undefined, io: Io): string {
  const given = asOf ?? (io.env.DOWNLINE_AS_OF || undefined);
  if (given === undefined) return new Date().toISOString().slice(0, 10);
  if (!isRealDate(given)) throw new UserError(`${asOf !== undefined ? '--as-of' : 'DOWNLINE_AS_OF'} "${given}" is not a date: write YYYY-MM-DD (UTC), e.g. 2027-01-01`);
  return given;
}
