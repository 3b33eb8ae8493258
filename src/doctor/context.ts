import type { Api } from '../api/client.js';
import { fetchCatalog } from '../api/discover.js';
import { ApiError } from '../api/errors.js';
import type { ObservedResponse } from '../api/http.js';
import type { LiveObjects, RawObject } from '../core/live.js';
import { kindOf } from '../kinds/index.js';

/** A HAL page as the wire carries it. */
export interface HalPage {
  _embedded?: Record<string, unknown>;
  _links?: Record<string, { href?: unknown }>;
  page?: { size?: unknown; totalElements?: unknown; totalPages?: unknown; number?: unknown };
}

export interface DoctorOptions {
  org?: string;
  /** Where --org came from when it was not given: the config's agency. */
  configOrg?: string;
  testNpn?: string;
  testUplineNpn?: string;
  concurrency: number;
}

/** A few live objects of each kind, as discovery normalises them (levels tagged with productId). */
/** Sampled live objects by kind name. */
export type Sample = Pick<LiveObjects, 'carrier' | 'product' | 'commissionLevel' | 'assignment'>;

/** How far the first contact got: the token, then one authenticated GET. */
export interface Connection {
  grant?: { expiresIn: number; scope?: string };
  tokenError?: ApiError;
  apiError?: ApiError;
  /** The first GET's status, when the API answered. */
  apiStatus?: number;
}

/** What checks share: the API, the responses seen so far, and memoised first pages and samples. */
export class DoctorContext {
  private pages = new Map<string, Promise<HalPage>>();
  private sampled?: Promise<Sample>;
  private connected?: Promise<Connection>;

  constructor(
    readonly api: Api,
    readonly urls: { api: string; token: string },
    readonly observed: ObservedResponse[],
    readonly options: DoctorOptions,
  ) {}

  /** One page of a list on the Contracting API (memoised: several checks read the same page). */
  page(path: string, query: Record<string, string | number> = {}): Promise<HalPage> {
    const key = `${path}?${Object.entries(query).map(([k, v]) => `${k}=${String(v)}`).join('&')}`;
    let found = this.pages.get(key);
    if (!found) {
      found = this.api.agentsync.get<HalPage>(path, query);
      this.pages.set(key, found);
    }
    return found;
  }

  connection(): Promise<Connection> {
    this.connected ??= (async () => {
      const result: Connection = {};
      try {
        result.grant = await this.api.tokenGrant();
      } catch (cause) {
        result.tokenError = asApiError(cause);
        return result;
      }
      try {
        await this.page(kindOf('carrier').listing!.path(), { page: 0, size: 1 });
        result.apiStatus = this.observed.find((r) => r.method === 'GET')?.status ?? 200;
      } catch (cause) {
        result.apiError = asApiError(cause);
      }
      return result;
    })();
    return this.connected;
  }

  /**
   * A sample through the same discovery code plan uses: the first 3 carriers, the first 5 of their
   * products and those products' levels; the first 20 assignments (unfiltered, else the test NPN's).
   */
  sample(): Promise<Sample> {
    this.sampled ??= (async () => {
      let carriersTaken = 0;
      let productsTaken = 0;
      const catalog = await fetchCatalog(this.api, this.options.concurrency, (kind) => (kind === 'carrier' ? carriersTaken++ < 3 : productsTaken++ < 5));
      return { ...catalog, assignment: await this.someAssignments() };
    })();
    return this.sampled;
  }

  private async someAssignments(): Promise<RawObject[]> {
    const listing = kindOf('assignment').listing!;
    try {
      const page = await this.page(listing.path(), { page: 0, size: 20 });
      return (page._embedded?.[listing.key] ?? []) as RawObject[];
    } catch (cause) {
      if (!this.options.testNpn) throw cause;
      return this.api.list(listing.path(), listing.key, { npn: this.options.testNpn });
    }
  }

  /** Rate-limit and content-type headers are read from Contracting responses only. */
  contractingResponses(): ObservedResponse[] {
    const base = new URL(this.urls.api).pathname.replace(/\/$/, '');
    return this.observed.filter((r) => r.path.startsWith(`${base}/`));
  }
}

export function asApiError(cause: unknown): ApiError {
  return cause instanceof ApiError ? cause : new ApiError('GET', '?', 0, [(cause as Error).message ?? String(cause)]);
}
