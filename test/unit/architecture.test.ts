import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return files(join(ROOT, 'src', dir)).flatMap((file) => importsOf(file).filter((spec) => forbidden(spec, file)).map((spec) => `${relative(ROOT, file)} imports ${spec}`));
}

describe('architecture: who may import whom', () => {
  it('core/ imports no got, chalk, yaml, ajv or node:fs', () => {
    expect(violations('core', (s) => /^(got|chalk|yaml|ajv|ajv-formats|node:fs|fs)(\/|$)/.test(s) || s.startsWith('node:fs'))).toEqual([]);
  });

  it('render/ imports no got and no fs', () => {
    expect(violations('render', (s) => s === 'got' || s.startsWith('node:fs'))).toEqual([]);
  });

  it('a kind imports no other kind', () => {
    const kinds = ['carrier', 'product', 'commission-level', 'assignment', 'invite', 'turris-invite'];
    expect(violations('kinds', (s, file) => !file.endsWith('index.ts') && kinds.some((k) => s === `./${k}.js`))).toEqual([]);
  });

  it('the emulator shares no code with the client side', () => {
    expect(violations('emulator', (s) => s.startsWith('../') && !s.startsWith('../http') && /\.\.\/(core|api|kinds|config|render|commands)\//.test(s.replace(/^(\.\.\/)+/, '../')))).toEqual([]);
  });

  it('only cli.ts touches the process', () => {
    const offenders = files(join(ROOT, 'src')).filter((f) => !f.endsWith('cli.ts') && /\bprocess\.(exit|argv|stdout|stderr|exitCode)\b/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
