import { createHash, randomUUID } from 'node:crypto';

/** A stable UUID-shaped id derived from a name, so lookup ids are the same on every run. */
export function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const newId = (): string => randomUUID();

/** Turris ids are MongoDB ObjectIds: 24 hex characters. */
export function objectId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 24);
}
