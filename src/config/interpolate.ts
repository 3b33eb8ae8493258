/** `${env:NAME}` and `${env:NAME:-default}` in config scalars. Pure: the environment is passed in. */

const REFERENCE = /\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export type InterpolationResult =
  | { ok: true; value: string; wholeValue: boolean; defaulted: string[] }
  | { ok: false; message: string; hint: string };

export function interpolate(text: string, env: Record<string, string | undefined>): InterpolationResult {
  let failure: InterpolationResult | undefined;
  const defaulted: string[] = [];
  const value = text.replace(REFERENCE, (_whole, inner: string) => {
    const match = ENV_REFERENCE.exec(inner);
    if (!match) {
      failure ??= {
        ok: false,
        message: `unknown variable reference \${${inner}}`,
        hint: 'use ${env:NAME} or ${env:NAME:-default}',
      };
      return '';
    }
    const [, name, fallback] = match;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) {
      defaulted.push(name);
      return fallback;
    }
    failure ??= {
      ok: false,
      message: `environment variable ${name} is not set`,
      hint: `set ${name}, or give a default with \${env:${name}:-value}`,
    };
    return '';
  });
  if (failure) return failure;
  return { ok: true, value, wholeValue: /^\$\{[^}]*\}$/.test(text), defaulted };
}
