import { randomBytes } from 'node:crypto';

export const SCOPES = { read: 'rino_api_agency_read', write: 'rino_api_agency_write', delete: 'rino_api_agency_delete' } as const;
const ALL_SCOPES: string[] = Object.values(SCOPES);

interface Grant {
  api: 'agentsync' | 'turris';
  scopes: Set<string>;
  expiresAt: number;
}

/** Issued bearer tokens and their scopes; expired tokens answer 401 like the real service. */
export class Tokens {
  private grants = new Map<string, Grant>();
  issued = 0;

  constructor(private readonly ttlSeconds: number, private readonly now: () => number) {}

  issue(api: Grant['api'], requested: string | undefined): { token: string; ttl: number; scopes: string[] } {
    const scopes = requested ? requested.split(/\s+/).filter((s) => ALL_SCOPES.includes(s)) : ALL_SCOPES;
    const token = randomBytes(24).toString('base64url');
    this.grants.set(token, { api, scopes: new Set(scopes), expiresAt: this.now() + this.ttlSeconds * 1000 });
    this.issued += 1;
    return { token, ttl: this.ttlSeconds, scopes };
  }

  check(api: Grant['api'], authorization: string | undefined): Grant | 'missing' | 'invalid' | 'expired' {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return 'missing';
    const grant = this.grants.get(match[1]);
    if (!grant || grant.api !== api) return 'invalid';
    if (grant.expiresAt <= this.now()) return 'expired';
    return grant;
  }

  /** Test hook: make every issued token expire now (simulates a long-running job). */
  expireAll(): void {
    for (const grant of this.grants.values()) grant.expiresAt = 0;
  }
}
