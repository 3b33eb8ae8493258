import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { tempDir } from '../../helpers/run.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => (dir = await tempDir()));
afterEach(() => dir.cleanup());

const errors = async (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir.path, name), text);
  const config = await loadConfig(['.'], dir.path, {});
  return config.diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.message}`);
};

describe('every problem in one pass', () => {
  it('a schema error does not hide reference, duplicate and agency errors', async () => {
    expect(await errors({ 'downline.yaml': `version: 1
carriers:
  - name: Acme
    naic: "1234567"
    products:
      - name: Term
        lineOfBusiness: Life
        commissionLevels: [{ name: L1, type: percent }]
      - name: Term
        lineOfBusiness: Life
assignments:
  - npn: "1001"
    carrier: Acme
    product: Trem
    commissionLevel: L1
invites:
  - producer: { npn: "1002", email: jane@example.com, firstName: Jane, lastName: Doe }
    inviter: { firstName: Ann, lastName: Lee, email: ann@example.com }
    contracts: [{ carrier: Acme, product: Term, commissionLevel: L1 }]
` })).toEqual([
      'downline.yaml:4:11 naic must be at most 6 characters (got 7)',
      'downline.yaml:9:9 product "Term" of carrier "Acme" is declared twice',
      'downline.yaml:17:5 invites need agency.organizationId (the fromOrganizationId of each contract)',
      'downline.yaml:14:14 product "Trem" is not declared under carrier "Acme"',
    ]);
  });

  it('across files: one broken file still takes part in duplicate and reference checks', async () => {
    expect(await errors({
      'a.yaml': 'version: 1\ncarriers:\n  - name: Acme\n    tin: 12\n    products: [{ name: Term, lineOfBusiness: Life, commissionLevels: [{ name: L1, type: percent }] }]\n',
      'b.yaml': 'version: 1\ncarriers:\n  - name: Acme\nassignments:\n  - { npn: "1001", carrier: Acme, product: Term, commissionLevel: L2 }\n',
    })).toEqual([
      'a.yaml:4:10 tin must be a string',
      'b.yaml:3:5 carrier "Acme" is declared twice',
      'b.yaml:5:67 commission level "L2" is not declared under product "Term"',
    ]);
  });

  it('skips only the checks a broken value makes meaningless: no echoes of a broken name or list', async () => {
    expect(await errors({ 'downline.yaml': `version: 1
carriers:
  - naic: "12345"
    products: [{ name: Term, lineOfBusiness: Life }]
  - name: Beta
    prodcts: []
  - name: Gamma
    products:
      - { name: Term, lineOfBusiness: Life, commissionLevels: 5 }
assignments:
  - { npn: "1001", carrier: Acme, product: Term, commissionLevel: L1 }
  - { npn: "1002", carrier: Beta, product: Term, commissionLevel: L1 }
  - { npn: "1003", carrier: Gamma, product: Term, commissionLevel: L1 }
  - { npn: 1004, carrier: Gamma, product: Nope, commissionLevel: L1 }
` }).then((lines) => lines.map((l) => l.replace(/ \(.*$/, '')))).toEqual([
      'downline.yaml:3:5 missing required key "name" in carriers[0]',
      'downline.yaml:6:5 unknown key "prodcts" in carriers[1]',
      'downline.yaml:9:63 commissionLevels must be a list',
      'downline.yaml:14:12 npn must be a string',
    ]);
  });

  it('a broken agency block is reported once, not echoed by every invite', async () => {
    expect(await errors({ 'downline.yaml': `version: 1
agency: 5
invites:
  - producer: { npn: "1001", email: jane@example.com, firstName: Jane, lastName: Doe }
    contracts: [{ carrier: Acme, product: Term, commissionLevel: L1 }]
` })).toEqual([
      'downline.yaml:2:9 agency must be a mapping',
      'downline.yaml:5:28 carrier "Acme" is not declared under carriers',
    ]);
  });
});
