import { describe, expect, it } from 'vitest';
import { envFor, startEmulator } from '../helpers/emulator.js';
import { example, run, tempDir } from '../helpers/run.js';

/**
 * Two applies of one config at the same moment (two CI runs, or a laptop and CI): both read an
 * empty account and both create. Whatever interleaving happens, they never both report success
 * over a duplicate: the one that sees the other's object fails, naming every id and which to keep.
 */
/** Natural keys of levels and contracts that exist more than once. */
function duplicatedKeys(em: Awaited<ReturnType<typeof startEmulator>>): string[] {
  const { levels, assignments } = em.store.data;
  const keys = [...levels.map((l) => `level ${l.productId}/${l.name}`), ...assignments.map((a) => `contract ${a.npn}/${a.productId}`)];
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

describe('two applies at once', () => {
  it('five races: never both "Apply complete" over a duplicate, and a failure names the ids', async () => {
    let raced = 0;
    for (let round = 0; round < 5; round++) {
      const em = await startEmulator({ latency: 15 });
      const dir = await tempDir();
      try {
        const apply = () => run(['apply', '--auto-approve', example('quickstart')], { cwd: dir.path, env: envFor(em) });
        const outcomes = await Promise.all([apply(), apply()]);
        const products = em.store.data.products.filter((p) => p.name === 'Term Life — Standard').map((p) => p.id);
        const complete = outcomes.filter((o) => o.code === 0 && o.stdout.includes('Apply complete'));
        if (products.length > 1) {
          raced += 1;
          expect(complete.length).toBeLessThan(2);
          const failed = outcomes.filter((o) => o.code === 1);
          expect(failed.length).toBeGreaterThan(0);
          const keep = [...products].sort()[0];
          for (const o of failed) {
            expect(o.stdout).toContain('Apply incomplete');
            expect(o.stdout).toMatch(/failed: product\.Acme Insurance Company\/Term Life — Standard: another writer created product "Acme Insurance Company \/ Term Life — Standard" at the same time: it now exists 2 times/);
            for (const id of products) expect(o.stdout).toContain(id);
            expect(o.stdout).toContain(`Keep ${keep}; delete ${products.find((id) => id !== keep)} and what was created under it, then run plan again`);
          }
        } else if (duplicatedKeys(em).length > 0) {
          // One apply saw the other's product but both created a level or a contract under it.
          raced += 1;
          expect(complete.length).toBeLessThan(2);
          expect(outcomes.some((o) => o.code === 1 && o.stdout.includes('another writer created'))).toBe(true);
        } else {
          expect(complete.length).toBe(2);
        }
      } finally {
        await em.close();
        await dir.cleanup();
      }
    }
    // The emulator's latency makes both applies discover an empty account: the race is real.
    expect(raced).toBeGreaterThan(0);
  }, 60_000);
});
