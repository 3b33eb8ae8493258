/**
 * What discovery reads, and what it costs: unmanaged producers stay visible when the listing is
 * cheap, the plan says so when it is not, and the listing is sized by the page size the API uses.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, envFor, startEmulator, useSandbox } from '../helpers/emulator.js';
import { run } from '../helpers/run.js';

const sandbox = useSandbox();

const npn = (i: number) => String(17000000 + i);
function config(npns: string[]): string {
  return `version: 1
carriers:
  - name: Acme
    products:
      - name: Term
        lineOfBusiness: Life
        annualization: Monthly
        commissionLevels:
          - { name: Street, type: percent, firstYearValue: 80, level: 1 }
assignments:
  - npns: [${npns.map((n) => `"${n}"`).join(', ')}]
    carrier: Acme
    product: Term
    commissionLevel: Street
    status: APPROVED
`;
}

async function withConfig(npns: string[]): Promise<void> {
  await writeFile(join(sandbox.dir.path, 'downline.yaml'), config(npns));
}
const downline = (...args: string[]) => run(args, { cwd: sandbox.dir.path, env: envFor(sandbox.em) });
const assignmentReads = () => count(sandbox.em, 'GET', /\/customers\/contractAssignments$/);

describe('discovery of contract assignments', () => {
  it('a producer removed from the config still shows as unmanaged when the listing is as cheap as the lookups', async () => {
    await withConfig([npn(1), npn(2), npn(3)]);
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    await withConfig([npn(1), npn(2)]);
    sandbox.em.log.length = 0;
    const result = await downline('plan', '--format', 'json');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.unmanaged.map((u: { address: { key: string } }) => u.address.key)).toEqual([`${npn(3)}@Acme/Term`]);
    expect(plan.diagnostics).toEqual([]);
    // One page holds the account: one request instead of two lookups.
    expect(assignmentReads()).toBe(1);
  });

  it('when the listing costs more than one lookup per producer, the plan says unmanaged could not be listed', async () => {
    await sandbox.em.close();
    sandbox.em = await startEmulator({ maxPageSize: 1 });
    await withConfig([npn(1), npn(2), npn(3), npn(4), npn(5)]);
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    await withConfig([npn(1), npn(2)]);
    sandbox.em.log.length = 0;
    const result = await downline('plan');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warning: unmanaged contract assignments were not listed: the assignment listing has 5 pages of 1, more requests than looking up the 2 declared producer(s); assignments of producers not in the config are not shown');
    // The first page (the probe, in the API's real page size), then one lookup per producer.
    expect(assignmentReads()).toBe(3);
    const markdown = await downline('plan', '--format', 'markdown');
    expect(markdown.stdout).toContain('> [!NOTE]\n> 1 warning(s):\n> - unmanaged contract assignments were not listed: the assignment listing has 5 pages of 1');
  });

  it('a config without producers says unmanaged assignments were not listed, once its carrier has live products', async () => {
    await withConfig([npn(1)]);
    const catalogOnly = () => writeFile(join(sandbox.dir.path, 'downline.yaml'), config([npn(1)]).replace(/assignments:[\s\S]*$/, ''));
    await catalogOnly();
    expect((await downline('plan')).stdout).not.toContain('warning');
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    const result = await downline('plan');
    expect(result.stdout).toContain('warning: unmanaged contract assignments were not listed: the config declares no producer, so none was looked up');
    expect(assignmentReads()).toBe(0);
  });

  it('sizes the unfiltered listing by the page size the API answers, not an assumed 1,000', async () => {
    await sandbox.em.close();
    sandbox.em = await startEmulator({ maxPageSize: 2 });
    const everyone = Array.from({ length: 200 }, (_, i) => npn(i));
    await withConfig(everyone);
    expect((await downline('apply', '--auto-approve')).code).toBe(0);
    // 60 producers in an account of 200 assignments read 2 at a time: 100 pages would cost more than 60 lookups.
    await withConfig(everyone.slice(0, 60));
    sandbox.em.log.length = 0;
    expect((await downline('plan', '--detailed-exitcode')).code).toBe(0);
    expect(assignmentReads()).toBe(1 + 60);
  }, 30_000);
});
