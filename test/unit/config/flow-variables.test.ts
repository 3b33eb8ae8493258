import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { tempDir } from '../../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(() => dir.cleanup());

const CONFIG = `version: 1
carriers:
  - { name: "\${env:CARRIER}\${env:SUFFIX}", naic: "\${env:NAIC}" }
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels:
          - { name: L1, type: percent, firstYearValue: \${env:FYV}, level: \${env:LVL:-1} }
          - { name: L2, type: percent, firstYearValue: \${env:L2:-12.5}, userDefined1: "\${env:U1}" }
variables: [CARRIER, SUFFIX, NAIC, FYV, LVL, L2, U1]
`;

describe('${env:…} in flow style', () => {
  it('works inside a flow mapping: typed like a block scalar, positions exact', async () => {
    await writeFile(join(dir.path, 'downline.yaml'), CONFIG);
    const config = await loadConfig([], dir.path, { CARRIER: 'Beta', SUFFIX: ' Life', NAIC: '00123', FYV: '55', U1: 'u, 1' });
    expect(config.state.entries.carrier.map((c) => c.name)).toEqual(['Beta Life', 'Acme']);
    expect(config.state.entries.carrier[0].fields.naic).toBe('00123');
    expect(config.state.entries.commissionLevel[0].fields).toMatchObject({ firstYearValue: 55, level: 1 });
    expect(config.state.entries.commissionLevel[1].fields).toMatchObject({ firstYearValue: 12.5 });
    expect(config.state.entries.commissionLevel[1].fields.userDefined1).toBe('u, 1');
    expect(config.diagnostics).toEqual([]);
  });

  it('an unset variable in a flow mapping is one diagnostic at its own line:col, no tokenizer noise', async () => {
    await writeFile(join(dir.path, 'downline.yaml'), CONFIG);
    const config = await loadConfig([], dir.path, { CARRIER: 'Beta', NAIC: '1', U1: 'x' });
    expect(config.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.message}`)).toEqual([
      '3:13 environment variable SUFFIX is not set',
      '9:56 environment variable FYV is not set',
    ]);
  });
});

describe('files without a literal ${', () => {
  it('a reference spelt with a double-quoted escape is still interpolated (the walk is skipped only without ${ and without backslashes)', async () => {
    await writeFile(join(dir.path, 'downline.yaml'), 'version: 1\ncarriers:\n  - { name: "\\x24{env:CARRIER}", naic: "1" }\nvariables: [CARRIER]\n');
    const config = await loadConfig([], dir.path, { CARRIER: 'Beta' });
    expect(config.diagnostics).toEqual([]);
    expect(config.state.entries.carrier.map((c) => c.name)).toEqual(['Beta']);
  });
});
