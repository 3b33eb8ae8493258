import { afterEach, describe, expect, it } from 'vitest';
import { call, startEmulator, token, type Emulator } from '../helpers/emulator.js';

let em: Emulator | undefined;
afterEach(async () => {
  await em?.close();
  em = undefined;
});

const licenses = async (e: Emulator, bearer: string, query: string) => {
  const response = await fetch(`${e.producersyncUrl}/v2/licenses?${query}`, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
};

describe('emulator: ProducerSync licences (SPEC §15)', () => {
  it('licenses every NPN in every state by default, one resident state, as HAL pages', async () => {
    const e = (em = await startEmulator({ now: () => new Date('2026-11-24T00:00:00Z') }));
    const bearer = await token(e);
    const all = await licenses(e, bearer, 'npns=17000001,17000002&page=0&size=1000');
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/hal+json');
    const items = all.body._embedded.licenses as Array<Record<string, any>>;
    expect(all.body.page).toEqual({ size: 1000, totalElements: 112, totalPages: 1, number: 0 });
    for (const npn of ['17000001', '17000002']) {
      const mine = items.filter((l) => l.npn === npn);
      expect(new Set(mine.map((l) => l.state)).size).toBe(56);
      expect(mine.filter((l) => l.residentLicense)).toHaveLength(1);
    }
    expect(items[0]).toMatchObject({ npn: '17000001', state: 'AK', active: true, expirationDate: '2028-12-31' });
    expect(items[0].linesOfAuthority).toContainEqual({ loaName: 'Life', loaCategory: 'Life', active: true });
    const second = await licenses(e, bearer, 'npns=17000001&page=1&size=10');
    expect(second.body.page).toEqual({ size: 10, totalElements: 56, totalPages: 6, number: 1 });
    expect(second.body._embedded.licenses.map((l: { state: string }) => l.state)[0]).toBe(items[10].state);
  });

  it('refuses a request without npns (400) or without a token (401)', async () => {
    const e = (em = await startEmulator());
    expect((await licenses(e, await token(e), 'page=0')).body.messages).toEqual(['npns is required: a comma-separated list of NPNs.']);
    expect((await licenses(e, await token(e), 'npns=12a')).status).toBe(400);
    expect((await licenses(e, 'nope', 'npns=1')).status).toBe(401);
  });
});

describe('emulator: rate-limit headers without a configured limit', () => {
  it('still sends ratelimit-limit / -remaining / -reset, with a budget the client never exhausts', async () => {
    const e = (em = await startEmulator());
    const response = await call(e, await token(e), 'GET', '/v1/customers/carriers');
    expect(response.headers.get('ratelimit-limit')).toBe('1000000');
    expect(response.headers.get('ratelimit-remaining')).toBe('999999');
    expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
  });
});
