import { describe, expect, it } from 'vitest';
import { Pacer, resetToEpochMs } from '../../../src/api/pacer.js';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('Pacer', () => {
  it('lets requests through while the window has budget, counting those in flight', async () => {
    const pacer = new Pacer(() => 1_000_000);
    await pacer.acquire();
    pacer.release({ 'ratelimit-remaining': '2', 'ratelimit-reset': '30' });
    await pacer.acquire();
    await pacer.acquire();
    expect(await settled(pacer.acquire())).toBe(false);
  });

  it('keeps the smallest remaining of one window when responses arrive out of order', async () => {
    const pacer = new Pacer(() => 1_000_000);
    pacer.release({ 'ratelimit-remaining': '1', 'ratelimit-reset': '30' });
    pacer.release({ 'ratelimit-remaining': '5', 'ratelimit-reset': '30' });
    await pacer.acquire();
    expect(await settled(pacer.acquire())).toBe(false);
  });

  it('reads both reset styles: seconds from now, and a Unix timestamp', () => {
    expect(resetToEpochMs(30, 1_000)).toBe(31_000);
    expect(resetToEpochMs(1_705_320_000, 0)).toBe(1_705_320_000_000);
  });
});
