import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { ALL_DIVISIONS } from '../../../src/core/desired.js';
import { run, tempDir } from '../../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(() => dir.cleanup());

const write = (name: string, text: string) => writeFile(join(dir.path, name), text);

const BASE = `version: 1
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels:
          - { name: L1, type: PERCENT, firstYearValue: 55 }
`;

describe('loadConfig', () => {
  it('expands npns, `all`, and commission type in any case', async () => {
    await write('downline.yaml', `${BASE}    administrativeDivisions: all
assignments:
  - npns: ["1", "2", "3"]
    carrier: Acme
    product: Term
    commissionLevel: L1
`);
    const config = await loadConfig([], dir.path, {});
    expect(config.diagnostics).toEqual([]);
    expect(config.state.entries.assignment.map((a) => a.npn)).toEqual(['1', '2', '3']);
    expect(config.state.entries.assignment[2].source).toEqual({ file: 'downline.yaml', line: 11, column: 22 });
    expect(config.state.entries.commissionLevel[0].fields.type).toBe('Percent');
    expect(config.state.entries.carrier[0].fields.administrativeDivisions).toEqual([...ALL_DIVISIONS]);
  });

  it('interpolates ${env:NAME} and ${env:NAME:-default} of listed variables, typing plain scalars; $${ is a literal ${', async () => {
    await write('downline.yaml', `version: 1
variables: [CARRIER, NAIC, SUFFIX, FYV]
carriers:
  - name: \${env:CARRIER}
    naic: "\${env:NAIC:-00001}"
    userDefined1: id-\${env:SUFFIX}
    userDefined2: $\${env:SUFFIX} costs $$5, $$\${x}
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels:
          - name: L1
            type: percent
            firstYearValue: \${env:FYV}
`);
    const config = await loadConfig([], dir.path, { CARRIER: 'Acme', SUFFIX: '7', FYV: '55.5' });
    expect(config.diagnostics).toEqual([]);
    expect(config.state.entries.carrier[0]).toMatchObject({ name: 'Acme', fields: { naic: '00001', userDefined1: 'id-7', userDefined2: '${env:SUFFIX} costs $$5, $${x}' } });
    expect(config.state.entries.commissionLevel[0].fields.firstYearValue).toBe(55.5);
  });

  it('never reads a variable the file does not list, nor a credential even when listed', async () => {
    const env = { AGENTSYNC_CLIENT_SECRET: 'hunter2-secret', GITHUB_TOKEN: 'ghp-secret', HOME: '/home/ci' };
    await write('downline.yaml', `version: 1
variables: [GITHUB_TOKEN]
carriers:
  - name: \${env:AGENTSYNC_CLIENT_SECRET}
    naic: \${env:HOME:-00001}
    userDefined1: \${env:GITHUB_TOKEN}
`);
    const config = await loadConfig([], dir.path, env);
    expect(config.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.message}`)).toEqual([
      '2:13 GITHUB_TOKEN holds a credential: downline never interpolates it',
      '4:11 AGENTSYNC_CLIENT_SECRET holds a credential: downline never interpolates it',
      '5:11 environment variable HOME is not listed under variables:',
      '6:19 GITHUB_TOKEN holds a credential: downline never interpolates it',
    ]);
    expect(JSON.stringify(config)).not.toMatch(/hunter2|ghp-secret|home\/ci/);
  });

  it('merges a directory in sorted order and names both places of a duplicate across files', async () => {
    await mkdir(join(dir.path, 'conf'));
    await writeFile(join(dir.path, 'conf', 'b.yaml'), BASE);
    await writeFile(join(dir.path, 'conf', 'a.yml'), BASE);
    await writeFile(join(dir.path, 'conf', 'notes.txt'), 'ignored');
    const config = await loadConfig(['conf'], dir.path, {});
    expect(config.files).toEqual(['conf/a.yml', 'conf/b.yaml']);
    const duplicate = config.diagnostics.find((d) => d.message === 'carrier "Acme" is declared twice');
    expect(duplicate?.source).toEqual({ file: 'conf/b.yaml', line: 3, column: 5 });
    expect(duplicate?.hint).toContain('conf/a.yml:3:5');
  });

  it('reports every problem in one pass', async () => {
    await write('downline.yaml', `version: 1
carriers:
  - name: Acme
    naic: "1234567"
    tin: "1234567890"
    colour: blue
`);
    const config = await loadConfig([], dir.path, {});
    expect(config.diagnostics.map((d) => d.source?.line).sort()).toEqual([4, 5, 6]);
  });

  it('reports every repeated NPN of an npns: list at its own place, naming the first', async () => {
    await write('downline.yaml', `${BASE}assignments:
  - npns: ["1001", "1002", "1001", "1002"]
    carrier: Acme
    product: Term
    commissionLevel: L1
`);
    const config = await loadConfig([], dir.path, {});
    expect(config.diagnostics.map((d) => [d.message, d.source?.line, d.source?.column, d.hint])).toEqual([
      ['npns lists producer 1001 twice', 10, 28, 'first declared at downline.yaml:10:12; remove one or rename it'],
      ['npns lists producer 1002 twice', 10, 36, 'first declared at downline.yaml:10:20; remove one or rename it'],
    ]);
  });

  it('follows a symlinked *.yaml in a config folder, and refuses loops and dangling links by name', async () => {
    await mkdir(join(dir.path, 'config'));
    await mkdir(join(dir.path, 'shared'));
    await writeFile(join(dir.path, 'shared', 'carriers.yaml'), BASE);
    await writeFile(join(dir.path, 'config', 'assignments.yaml'), 'version: 1\nassignments:\n  - { npn: "1", carrier: Acme, product: Term, commissionLevel: L1 }\n');
    await symlink('../shared/carriers.yaml', join(dir.path, 'config', 'carriers.yaml'));
    const followed = await loadConfig(['config'], dir.path, {});
    expect(followed.diagnostics).toEqual([]);
    expect(followed.files).toEqual(['config/assignments.yaml', 'config/carriers.yaml']);
    expect(followed.state.entries.carrier.map((c) => c.name)).toEqual(['Acme']);

    await symlink('loop-b.yaml', join(dir.path, 'config', 'loop-a.yaml'));
    await symlink('loop-a.yaml', join(dir.path, 'config', 'loop-b.yaml'));
    await symlink('../shared/gone.yaml', join(dir.path, 'config', 'gone.yaml'));
    const refused = await loadConfig(['config'], dir.path, {});
    expect(refused.diagnostics.map((d) => d.message)).toEqual([
      'config/gone.yaml: is a symbolic link to a missing file (../shared/gone.yaml)',
      'config/loop-a.yaml: is a symbolic link loop',
      'config/loop-b.yaml: is a symbolic link loop',
    ]);
    expect(refused.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('a missing default file is an error with a hint', async () => {
    const config = await loadConfig([], dir.path, {});
    expect(config.diagnostics[0].message).toContain('downline.yaml: no such file');
  });

  it('gives a clear error for binary files, alias bombs and absurd nesting', async () => {
    await write('binary.yaml', 'version: 1\n\u0000\u0001\u0002');
    const bomb = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    await write('bomb.yaml', `${bomb.join('\n')}\n`);
    await write('deep.yaml', `version: 1\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    for (const file of ['binary.yaml', 'bomb.yaml', 'deep.yaml']) {
      const config = await loadConfig([file], dir.path, {});
      expect(config.diagnostics.length, file).toBeGreaterThan(0);
      expect(config.diagnostics[0].source?.file).toBe(file);
    }
  });
});

describe('downline validate output', () => {
  it('prints file:line:col lines and a count, exit 1', async () => {
    await write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n    naic: "1234567"\n');
    const result = await run(['validate'], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('downline.yaml:4:11: error: naic must be at most 6 characters (got 7)');
    expect(result.stderr).toContain('Invalid: 1 error, 0 warnings.');
  });

  it('--format github adds workflow annotations with file, line and column', async () => {
    await write('downline.yaml', 'version: 1\ncarriers:\n  - name: Acme\n    naic: "1234567"\n');
    const result = await run(['validate', '--format', 'github'], { cwd: dir.path });
    expect(result.stderr).toContain('::error file=downline.yaml,line=4,col=11::naic must be at most 6 characters (got 7)');
  });

  it('GITHUB_ACTIONS=true turns annotations on by itself', async () => {
    await write('downline.yaml', 'version: 1\nbogus: 1\n');
    const result = await run(['validate'], { cwd: dir.path, env: { GITHUB_ACTIONS: 'true' } });
    expect(result.stderr).toContain('::error file=downline.yaml,line=2,col=1::unknown key "bogus"');
  });
});
