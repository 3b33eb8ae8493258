import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, startEmulator } from '../helpers/emulator.js';
import { run, tempDir } from '../helpers/run.js';

/** mulberry32: a small seeded generator, so a failing forest can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = ['P1', 'P2'];
type Forest = Map<string, Map<string, string | null>>; // product → npn → upline

/** A random forest over the given positions: in a shuffled order, each takes an earlier one as upline (or none). */
function forest(rand: () => number, positions: Map<string, string[]>): Forest {
  const out: Forest = new Map();
  for (const [product, npns] of positions) {
    const order = [...npns].sort(() => rand() - 0.5);
    out.set(product, new Map(order.map((npn, i) => [npn, i === 0 || rand() < 0.15 ? null : order[Math.floor(rand() * i)]])));
  }
  return out;
}

/** The forest as config: positions sharing a product and an upline go in one `npns:` entry (one in three), else singly. */
function configOf(f: Forest, rand: () => number): string {
  const lines = ['version: 1', 'carriers:', '  - name: Random Life', '    products:'];
  for (const p of PRODUCTS) lines.push(`      - name: ${p}`, '        lineOfBusiness: Life', '        commissionLevels: [{ name: Street, type: percent, firstYearValue: 50 }]');
  lines.push('assignments:');
  for (const [product, uplines] of f) {
    const groups = new Map<string | null, string[]>();
    for (const [npn, upline] of uplines) groups.set(upline, [...(groups.get(upline) ?? []), npn]);
    for (const [upline, npns] of groups) {
      const compact = npns.length > 1 && rand() < 0.34;
      for (const who of compact ? [npns] : npns.map((n) => [n])) {
        lines.push(compact ? `  - npns: [${who.map((n) => `"${n}"`).join(', ')}]` : `  - npn: "${who[0]}"`,
          '    carrier: Random Life', `    product: ${product}`, '    commissionLevel: Street', ...(upline ? [`    upline: "${upline}"`] : []));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('random forests converge', () => {
  it('50 random forests (up to 200 positions, random moves and additions): apply A, apply B, the live tree equals B and plans clean', async () => {
    const dir = await tempDir();
    try {
      for (let seed = 1; seed <= 50; seed++) {
        const rand = random(seed);
        const size = 1 + Math.floor(rand() * 180);
        const positions = new Map(PRODUCTS.map((p) => [p, [] as string[]]));
        // Producers drawn from a pool, so some hold a position on both products.
        for (let i = 0; i < size; i++) positions.get(PRODUCTS[Math.floor(rand() * 2)])!.push(String(1000 + Math.floor(rand() * size)));
        for (const [p, npns] of positions) positions.set(p, [...new Set(npns)]);
        const a = forest(rand, positions);
        // B: the same positions, some new ones (up to 200 in all), all placed again at random.
        for (const [, npns] of positions) for (let k = 0; k < Math.floor(rand() * 10); k++) npns.push(String(90_000 + seed * 100 + npns.length + k));
        const b = forest(rand, positions);
        const em = await startEmulator();
        try {
          const env = envFor(em);
          const step = async (f: Forest, name: string) => {
            writeFileSync(join(dir.path, 'downline.yaml'), configOf(f, rand));
            const applied = await run(['apply', '--auto-approve', '--force', '--concurrency', '16'], { cwd: dir.path, env });
            expect(applied.code, `seed ${seed}, apply ${name}: ${applied.stdout}${applied.stderr}`).toBe(0);
          };
          await step(a, 'A');
          await step(b, 'B');
          const productName = new Map(em.store.data.products.map((p) => [p.id, p.name]));
          const live: Forest = new Map(PRODUCTS.map((p) => [p, new Map()]));
          for (const x of em.store.data.assignments) live.get(productName.get(x.productId)!)!.set(x.npn, (x.uplineNpn as string | null | undefined) ?? null);
          const sorted = (f: Forest) => Object.fromEntries([...f].map(([p, m]) => [p, Object.fromEntries([...m].sort(([x], [y]) => x.localeCompare(y)))]));
          expect(sorted(live), `seed ${seed}`).toEqual(sorted(b));
          expect((await run(['plan', '--detailed-exitcode'], { cwd: dir.path, env })).code, `seed ${seed}: plan after B`).toBe(0);
        } finally {
          await em.close();
        }
      }
    } finally {
      await dir.cleanup();
    }
  }, 240_000);
});
