import { halPage } from '../http.js';
import { LOOKUP_TABLES } from '../lookups.js';
import { route, type Route } from '../router.js';

export const lookupRoutes: Route[] = Object.entries(LOOKUP_TABLES).map(([key, items]) =>
  route('GET', `/contracting/v1/${key}`, 'read', (req, ctx) => halPage(items, key, req, ctx.paging)));
