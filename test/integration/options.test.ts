import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, useSandbox, writes } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

const book = (npns: string[], prune = false) => [
  'version: 1',
  ...(prune ? ['prune: { assignments: true }'] : []),
  'carriers:',
  '  - name: Acme',
  '    products:',
  '      - name: Term',
  '        lineOfBusiness: Life',
  '        commissionLevels: [{ name: L1, type: percent }]',
  'assignments:',
  `  - npns: [${npns.map((n) => `"${n}"`).join(', ')}]`,
  '    carrier: Acme',
  '    product: Term',
  '    commissionLevel: L1',
  '',
].join('\n');

const write = (text: string) => writeFileSync(join(sandbox.dir.path, 'downline.yaml'), text);
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });

describe('numeric options are parsed once, strictly', () => {
  it('--max-deletes ten is an error, and nothing is read or written', async () => {
    write(book(['1001']));
    const result = await downline('apply', '--auto-approve', '--max-deletes', 'ten');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--max-deletes <n>' argument 'ten' is invalid. \"ten\" is not a whole number.");
    expect(sandbox.em.log).toEqual([]);
  });

  it('--max-delete-percent 20% means 20 and blocks a 25% prune', async () => {
    const npns = Array.from({ length: 12 }, (_, i) => String(3000 + i));
    write(book(npns));
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    write(book(npns.slice(0, 9), true));
    const before = writes(sandbox.em).length;
    const blocked = await downline('apply', '--auto-approve', '--max-delete-percent', '20%');
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain('3 of 12 live assignment objects (25.0%) exceed --max-delete-percent 20');
    expect(writes(sandbox.em).length).toBe(before);
    expect((await downline('plan', '--max-delete-percent', '2O')).stderr).toContain('"2O" is not a percentage (write 20 or 20%)');
    expect((await downline('plan', '--max-delete-percent', '120')).code).toBe(1);
  });

  it.each(['abc', '0', '-1', '2.5'])('--concurrency %s is an error', async (value) => {
    write(book(['1001']));
    const result = await downline('plan', `--concurrency=${value}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--concurrency <n>' argument");
    expect(sandbox.em.log).toEqual([]);
  });

  it('the emulator refuses a port that is not a number', async () => {
    const result = await run(['emulator', '--port', 'http']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"http" is not a whole number.');
  });
});
