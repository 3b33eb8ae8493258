import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { tempDir } from '../../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(() => dir.cleanup());

const config = (first: string, second: string) => `version: 1
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels: [{ name: L1, type: percent }]
assignments:
  - npn: ${first}
    carrier: Acme
    product: Term
    commissionLevel: L1
  - npn: ${second}
    carrier: Acme
    product: Term
    commissionLevel: L1
variables: [NPN]
`;

describe('hints never break the config', () => {
  it('quote what was written: the variable stays, leading zeros stay; following the hint makes it valid', async () => {
    const env = { NPN: '17100001' };
    await writeFile(join(dir.path, 'downline.yaml'), config('${env:NPN}', '0017100002'));
    const broken = await loadConfig([], dir.path, env);
    const hints = broken.diagnostics.map((d) => `${d.source?.line}: ${d.message} (${d.hint})`);
    expect(hints).toEqual([
      '9: npn must be a string (quote it, so the variable stays text: "${env:NPN}")',
      '13: npn must be a string (quote it: "0017100002")',
    ]);
    // Do exactly what the hints say.
    const quoted = broken.diagnostics.map((d) => /: (".*")$/.exec(d.hint!)![1]);
    await writeFile(join(dir.path, 'downline.yaml'), config(quoted[0], quoted[1]));
    const fixed = await loadConfig([], dir.path, env);
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.state.entries.assignment.map((a) => a.npn)).toEqual(['17100001', '0017100002']);
  });
});
