import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);

const parse = (file: string, text = readFileSync(file, 'utf8')) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);

/** Every module a file names: `import`, `import type`, `export … from`, `import('…')` and `import('…').T` types. */
function specifiersOf(file: string, text?: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(parse(file, text));
  return out;
}

/** Functions (declarations, methods, arrows, expressions) longer than `max` lines, named by file:line. */
function longFunctions(file: string, max: number, text?: string): string[] {
  const source = parse(file, text);
  const out: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : '(anonymous)';
      if (lines > max) out.push(`${relative(ROOT, file)}:${lineOf(node.getStart(source))} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return files(join(ROOT, 'src', dir)).flatMap((file) => importsOf(file).filter((spec) => forbidden(spec, file)).map((spec) => `${relative(ROOT, file)} imports ${spec}`));
}

describe('architecture: who may import whom', () => {
  it('core/ imports no got, chalk, yaml, ajv or node:fs', () => {
    expect(violations('core', (s) => /^(got|chalk|yaml|ajv|ajv-formats|node:fs|fs)(\/|$)/.test(s) || s.startsWith('node:fs'))).toEqual([]);
  });

  it('core/ imports only core: every relative import, type import and re-export stays inside src/core', () => {
    const core = join(ROOT, 'src', 'core');
    const outside = files(core).flatMap((file) => specifiersOf(file)
      .filter((s) => s.startsWith('.') && relative(core, resolve(dirname(file), s)).startsWith('..'))
      .map((s) => `${relative(ROOT, file)} imports ${s}`));
    expect(outside).toEqual([]);
  });

  it('the import scan sees `import type`, `export … from` and import() types', () => {
    const text = [
      "import { a } from '../a.js';", "import type { B } from '../b.js';", "export { c } from '../c.js';",
      "export type D = import('../d.js').D;", "export const e = () => import('../e.js');",
    ].join('\n');
    expect(specifiersOf(join(ROOT, 'src', 'core', 'x.ts'), text)).toEqual(['../a.js', '../b.js', '../c.js', '../d.js', '../e.js']);
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

describe('architecture: small enough to read at once', () => {
  it('no function in src/core or src/kinds is over 60 lines', () => {
    const long = ['core', 'kinds'].flatMap((dir) => files(join(ROOT, 'src', dir))).flatMap((f) => longFunctions(f, 60));
    expect(long).toEqual([]);
  });

  it('the function-length scan measures arrows, methods and declarations', () => {
    const body = ['{', '  const a = 1;', '  const b = 2;', '  return a + b;', '}'];
    const text = ['function declared() ' + body[0], ...body.slice(1), '', 'const arrow = () => ' + body[0], ...body.slice(1, -1), '};', '',
      'class Holder {', '  method() ' + body[0], ...body.slice(1), '  short() { return 1; }', '}'].join('\n');
    const found = longFunctions(join(ROOT, 'src', 'core', 'x.ts'), 3, text);
    expect(found.map((f) => f.replace(/^.*:(\d+) /, '$1 '))).toEqual(['1 declared (5 lines)', '7 arrow (5 lines)', '14 method (5 lines)']);
  });

  it('the median .ts file under src/ is under 100 lines', () => {
    const lengths = files(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8').split('\n').length).sort((a, b) => a - b);
    const mid = Math.floor(lengths.length / 2);
    const median = lengths.length % 2 ? lengths[mid] : (lengths[mid - 1] + lengths[mid]) / 2;
    expect(median).toBeLessThan(100);
  });
});
