import type { Tokens } from '../auth.js';
import { header, turrisError, type EmRequest, type EmResponse } from '../http.js';
import { route, type Route } from '../router.js';
import { envelope } from './turris.js';

interface Credentials { clientId: string; clientSecret: string; turrisClientId: string; turrisClientSecret: string }

/** OAuth2 client credentials: credentials in the form body or in HTTP Basic. */
function agentsyncToken(req: EmRequest, credentials: Credentials, tokens: Tokens): EmResponse {
  const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
  for (const [k, v] of req.query) if (!form.has(k)) form.set(k, v);
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    id = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
  if (id !== credentials.clientId || secret !== credentials.clientSecret) return { status: 401, body: { error: 'invalid_client' } };
  const issued = tokens.issue('agentsync', form.get('scope') ?? undefined);
  return { status: 200, body: { access_token: issued.token, token_type: 'Bearer', expires_in: issued.ttl, scope: issued.scopes.join(' ') } };
}

function turrisToken(req: EmRequest, credentials: Credentials, tokens: Tokens): EmResponse {
  let body: { clientId?: unknown; clientSecret?: unknown } = {};
  try {
    body = JSON.parse(typeof req.body === 'string' && req.body ? req.body : '{}');
  } catch {
    return { status: 400, body: turrisError(400, ['Malformed JSON request body']) };
  }
  if (body.clientId !== credentials.turrisClientId || body.clientSecret !== credentials.turrisClientSecret) {
    return { status: 401, body: turrisError(401, ['Invalid client credentials']) };
  }
  const issued = tokens.issue('turris', undefined);
  return envelope({ accessToken: issued.token, expiresIn: issued.ttl, tokenType: 'Bearer' }, 201);
}

/** The two token endpoints: AgentSync's OAuth2 client credentials and Turris' JWT. */
export function tokenRoutes(credentials: Credentials, tokens: Tokens): Route[] {
  return [
    route('POST', '/oauth2/token', 'none', (req) => agentsyncToken(req, credentials, tokens), { api: 'auth' }),
    route('POST', '/turris/v1/auth/jwt', 'none', (req) => turrisToken(req, credentials, tokens), { api: 'auth' }),
  ];
}
