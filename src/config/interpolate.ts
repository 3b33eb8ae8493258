/**
 * `${env:NAME}` and `${env:NAME:-default}` in config scalars; `$${` is a literal `${`.
 * Pure: the environment and the file's allow-list are passed in.
 *
 * Only variables the file lists under `variables:` are read, and never a credential, even when
 * listed: a value that reaches a config (by hand or through `export` of a live name) must not be
 * able to pull a CI secret into a plan, a pull-request comment or the account.
 */

// `$${` first: an escaped reference is consumed before it can be read as one.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Names that hold credentials: never interpolated, whatever the allow-list says. */
const CREDENTIAL = /SECRET|TOKEN|PASSW|CREDENTIAL|PRIVATE_KEY|API_KEY|_CLIENT_ID$/i;

export function isCredentialVariable(name: string): boolean {
  return CREDENTIAL.test(name);
}

export type InterpolationResult =
  | { ok: true; value: string; wholeValue: boolean; defaulted: string[] }
  | { ok: false; message: string; hint: string };

export function interpolate(text: string, env: Record<string, string | undefined>, allowed: ReadonlySet<string>): InterpolationResult {
  let failure: InterpolationResult | undefined;
  const defaulted: string[] = [];
  const fail = (message: string, hint: string) => {
    failure ??= { ok: false, message, hint };
    return '';
  };
  const value = text.replace(REFERENCE, (whole, inner: string | undefined) => {
    if (inner === undefined) return '${';
    const match = ENV_REFERENCE.exec(inner);
    if (!match) return fail(`unknown variable reference \${${inner}}`, 'use ${env:NAME} or ${env:NAME:-default}; write $${ for a literal ${');
    const [, name, fallback] = match;
    if (isCredentialVariable(name)) return fail(`${name} holds a credential: downline never interpolates it`, 'credentials are read only by downline itself; write $${ for a literal ${');
    if (!allowed.has(name)) {
      const add = allowed.size > 0 ? `add ${name} to this file's variables: [${[...allowed].join(', ')}]` : `add "variables: [${name}]" at the top of this file`;
      return fail(`environment variable ${name} is not listed under variables:`, `${add} to read it; write $\${ for a literal \${`);
    }
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) {
      defaulted.push(name);
      return fallback;
    }
    return fail(`environment variable ${name} is not set`, `set ${name}, or give a default with \${env:${name}:-value}`);
  });
  if (failure) return failure;
  return { ok: true, value, wholeValue: /^\$\{[^}]*\}$/.test(text), defaulted };
}

/** The inverse of interpolation for literal text (export writes live names with it): `${` → `$${`. */
export function escapeLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}
