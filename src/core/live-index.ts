import { keys } from './desired.js';
import type { LiveSnapshot, RawObject } from './live.js';

/** Live objects by natural key, and ids back to names: how live state enters name-space. */
export class LiveIndex {
  readonly carrierByName = new Map<string, RawObject>();
  readonly carrierNameById = new Map<string, string>();
  readonly productByKey = new Map<string, RawObject>();
  readonly productById = new Map<string, { carrier: string; name: string }>();
  readonly levelByKey = new Map<string, RawObject>();
  readonly levelById = new Map<string, { carrier: string; product: string; name: string }>();
  /** Contract assignments by `npn@carrier/product`; more than one means duplicates exist live. */
  readonly assignmentsByKey = new Map<string, RawObject[]>();

  constructor(live: LiveSnapshot) {
    for (const c of live.carriers) {
      const name = String(c.name);
      if (!this.carrierByName.has(name)) this.carrierByName.set(name, c);
      this.carrierNameById.set(c.id, name);
    }
    for (const p of live.products) {
      const carrier = this.carrierNameById.get(String(p.carrierId));
      if (carrier === undefined) continue;
      const key = keys.product(carrier, String(p.name));
      if (!this.productByKey.has(key)) this.productByKey.set(key, p);
      this.productById.set(p.id, { carrier, name: String(p.name) });
    }
    for (const l of live.levels) {
      const product = this.productById.get(l.productId);
      if (!product) continue;
      const key = keys.level(product.carrier, product.name, String(l.name));
      if (!this.levelByKey.has(key)) this.levelByKey.set(key, l);
      this.levelById.set(l.id, { carrier: product.carrier, product: product.name, name: String(l.name) });
    }
    for (const a of live.assignments) {
      const product = this.productById.get(String(a.productId));
      if (!product) continue;
      const key = keys.assignment(String(a.npn), product.carrier, product.name);
      const list = this.assignmentsByKey.get(key);
      if (list) list.push(a);
      else this.assignmentsByKey.set(key, [a]);
    }
  }
}
