import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastRead } from '../../../src/config/fast-read.js';
import { maskVariables, parseConfigFile, parseWithDocument, type ParsedFile, type Path } from '../../../src/config/parse.js';
import { assignmentConfig, hierarchyConfig, inviteConfig, oneListConfig } from '../../bench/generate.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []);
}

/** Every path of the data, and beneath each mapping a key it does not have (located at the mapping). */
function paths(value: unknown, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...path, i])));
  else if (typeof value === 'object' && value !== null) {
    out.push([...path, 'noSuchKey'], [...path, 'noSuchKey', 'deeper']);
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...path, k]));
  }
  return out;
}

/** The fast reading must give the Document API's data and the same file:line:col for every path and key. */
const ENV = { ORG: 'org-1', NUM: '55', ZEROS: '0017', FLAG: 'true', EMPTY: '', API_TOKEN: 'never' };

function expectSameReading(text: string): ParsedFile {
  const fast = parseConfigFile('c.yaml', text, ENV);
  const slow = parseWithDocument('c.yaml', text, ENV);
  expect(fast.diagnostics).toEqual(slow.diagnostics);
  expect(fast.parsed?.data).toStrictEqual(slow.parsed?.data);
  expect(fast.parsed?.defaulted).toEqual(slow.parsed?.defaulted);
  if (!slow.parsed) return fast.parsed!;
  for (const path of paths(slow.parsed?.data)) {
    expect([path, fast.parsed!.locate(path)]).toEqual([path, slow.parsed!.locate(path)]);
    expect([path, fast.parsed!.locate(path, true)]).toEqual([path, slow.parsed!.locate(path, true)]);
    expect([path, fast.parsed!.sourceText(path)]).toEqual([path, slow.parsed!.sourceText(path)]);
  }
  return fast.parsed!;
}

describe('fast reading of large configs (js-yaml events) is the Document API reading', () => {
  const corpus = [...yamlFiles('examples'), ...yamlFiles('test/fixtures')];

  it.each(corpus)('%s: same data, same locations of every value and key', (file) => {
    expectSameReading(readFileSync(join(ROOT, file), 'utf8'));
  });

  it('takes the fast path for variables too (masked, restored and interpolated on the data)', () => {
    for (const name of ['variables, retyped when plain', 'variable problems', 'variables listed but unused', 'escapes']) {
      expect([name, fastRead(maskVariables(SNIPPETS[name]).masked)]).not.toEqual([name, undefined]);
    }
  });

  it('takes the fast path for the examples and the bench books (so the comparisons above compare two readers)', () => {
    const fastOnes = corpus.filter((f) => fastRead(readFileSync(join(ROOT, f), 'utf8')) !== undefined);
    expect(fastOnes.filter((f) => f.startsWith('examples/')).length).toBeGreaterThan(3);
    for (const text of [inviteConfig(50), assignmentConfig(50), oneListConfig(50), hierarchyConfig(1200)]) {
      expect(fastRead(text)).toBeDefined();
      expectSameReading(text);
    }
  });

  // Each reads the same through both, whichever reader answers.
  const SNIPPETS: Record<string, string> = {
    'YAML 1.2 scalars': 'a: 010\nb: yes\nc: 0x1F\nd: 1_000\ne: .inf\nf: -.5\ng: 1e3\nh: 0o17\ni: 0b101\nj: ~\nk: Null\nl: TRUE\nm: 1.\nn: "010"\no: 0017100002\np: +12\nq: 1:20\n',
    'empty values': 'a:\nb: 1\nc:\n  -\n  - x\nd: { e: , f: 1 }\n',
    'block scalars and folding': 'a: |\n  one\n  two\nb: >-\n  folded\n  text\n\nc: plain\n  continued\nd: "quoted\n  across"\ne: \'it\'\'s\'\n',
    'comments everywhere': '# top\na: # after key\n  # own line\n  b: 1 # trailing\n  c:\n    # before item\n    - x # item\n',
    'flow collections': 'a: [1, "2", {b: c, d: [e]}]\nf: {g: h,\n  i: j}\n',
    'CRLF line ends': 'a: 1\r\nb:\r\n  - c\r\n  - d: e\r\n',
    'document markers': '---\na: 1\n...\n',
    'nested lists': 'a:\n- - 1\n  - 2\n- b: 3\n  c: 4\n',
    'odd keys': '"1": a\nb: 1\n? c\n: d\n',
    'null and bool keys': 'null: 1\ntrue: 2\n3: 4\n',
    'anchors and aliases': 'a: &x { b: 1 }\nc: *x\n',
    'merge key': 'a: &x { b: 1 }\nc:\n  <<: *x\n  d: 2\n',
    'tags': 'a: !!str 5\nb: !custom x\n',
    'YAML 1.1 directive': '%YAML 1.1\n---\na: yes\nb: 010\n',
    'unicode': 'name: "Zoë ✓"\nother: 名前\n',
    'a comment glued to a value': 'a: "b"#c\n',
    'tabs': 'a:\n\tb: 1\n',
    'two documents': 'a: 1\n---\nb: 2\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'empty file': '',
    'only a comment': '# nothing\n',
    'a scalar document': 'hello\n',
    'a list document': '- a\n- b\n',
    'deep nesting': `${'['.repeat(200)}${']'.repeat(200)}\n`,
    'byte-order mark': '\uFEFFa: 1\n',
    'lone CR': 'a: 1\rb: 2\n',
    'escapes': 'a: "tab\\there \\u00e9 \\x41 \\\\ \\x24{env:ORG}"\nb: \'single \\ back\'\nvariables: [ORG]\n',
    'variables, retyped when plain': 'variables: [ORG, NUM, ZEROS, FLAG, EMPTY, UNSET]\nagency: { organizationId: ${env:ORG} }\nn: ${env:NUM}\nq: "${env:NUM}"\nz: ${env:ZEROS}\nf: ${env:FLAG}\nd: ${env:EMPTY:-fallback}\nu: ${env:UNSET:-x}\nl: [${env:ORG}, "${env:NUM}"]\nm: pre-${env:ORG}-post\nlit: $${env:ORG}\nblock: |\n  ${env:NUM}\n',
    'variable problems': 'variables: [API_TOKEN, ORG]\na: ${env:NOT_LISTED}\nb: ${env:UNSET_ONE}\nc: ${nonsense}\nd: { e: ${env:API_TOKEN} }\n',
    'variables listed but unused': 'variables: [ORG, MY_SECRET]\na: 1\n',
    'a reference in a key': 'variables: [ORG]\n${env:ORG}: 1\n',
    'a reference across lines': 'variables: [ORG]\na: "${env:\n  ORG}"\n',
  };
  it.each(Object.entries(SNIPPETS))('%s', (_name, text) => {
    expectSameReading(text);
  });

  it('declines anchors, aliases, tags, directives and glued comments (yaml decides those)', () => {
    for (const name of ['anchors and aliases', 'merge key', 'tags', 'YAML 1.1 directive', 'a comment glued to a value', 'duplicate keys', 'two documents', 'tabs', 'empty file']) {
      expect([name, fastRead(SNIPPETS[name])]).toEqual([name, undefined]);
    }
  });
});
