/** Request/response shapes and the API's envelopes (HAL collections, Spring-style errors). */
export interface EmRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  params: Record<string, string>;
}

export interface EmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly messages: string[]) {
    super(messages.join('; '));
  }
}

/** Throw from a handler to answer with the documented error body. */
export function fail(status: number, ...messages: string[]): never {
  throw new ApiFailure(status, messages);
}

export function errorBody(status: number, messages: string[], path: string): object {
  return { status, timestamp: Math.floor(Date.now() / 1000), messages, path, error: REASONS[status] ?? 'Error' };
}

export function ok(body: unknown, status = 200): EmResponse {
  return { status, body };
}

export interface Paging {
  defaultSize: number;
  maxSize: number;
}

/**
 * A HAL page: `_embedded.<key>` only when the page has items (absent, not empty, otherwise),
 * `page` metadata and `_links` with relative hrefs that lack the /contracting prefix, as documented.
 * `present` shapes only the page's own items, so a page costs its size, not the collection's.
 */
export function halPage<T>(items: readonly T[], key: string, req: EmRequest, paging: Paging, present?: (item: T) => unknown): EmResponse {
  const number = Math.max(0, Number.parseInt(req.query.get('page') ?? '0', 10) || 0);
  const requested = Number.parseInt(req.query.get('size') ?? '', 10);
  const size = Math.min(paging.maxSize, requested > 0 ? requested : paging.defaultSize);
  const totalPages = Math.ceil(items.length / size);
  const page = items.slice(number * size, number * size + size);
  const slice = present ? page.map(present) : page;
  const base = req.path.replace(/^\/contracting/, '');
  const extra = [...req.query.entries()].filter(([k]) => k !== 'page' && k !== 'size').map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('');
  const href = (p: number) => ({ href: `${base}?page=${p}&size=${size}${extra}` });
  const links: Record<string, { href: string }> = { self: href(number) };
  if (totalPages > 0) {
    links.first = href(0);
    links.last = href(totalPages - 1);
  }
  if (number + 1 < totalPages) links.next = href(number + 1);
  if (number > 0 && number <= totalPages) links.prev = href(number - 1);
  return ok({
    ...(slice.length > 0 ? { _embedded: { [key]: slice } } : {}),
    _links: links,
    page: { size, totalElements: items.length, totalPages, number },
  });
}


export function header(req: EmRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Turris' error body: `errorMessage` is an array, `errorType` a short code. */
export function turrisError(status: number, messages: string[]): object {
  const types: Record<number, string> = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 429: 'rate_limit_exceeded' };
  return { statusCode: status, requestId: `emu-${Date.now().toString(16)}`, errorType: types[status] ?? 'internal_error', errorMessage: messages, timestamp: new Date().toISOString() };
}
