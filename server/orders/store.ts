import { luaScript } from '../platform/store/lua-script.ts';
import type { Store } from '../platform/store/store.ts';
import { stampField, type Order } from '../commerce/model.ts';
import type { OrderState } from '../protocol/views.ts';
import { fields, pairs } from '../platform/records/hashes.ts';
import type { OrderStore } from '../engine/commerce.ts';
import { toOrder } from '../commerce/flash-sale/store.ts';
import type { RedisKeys } from '../platform/keys.ts';

const transitionScript = luaScript(new URL('../platform/records/transition-1.lua', import.meta.url));

export class RedisOrderStore implements OrderStore {
  constructor(private readonly store: Store, private readonly keys: RedisKeys) {}

  async transition(id: string, from: OrderState[], to: OrderState, patch: Partial<Order> = {}): Promise<Order | null> {
    const room = await this.store.hget(this.keys.orderRooms(), id);
    if (!room) return null;
    const reply = (await this.store.run(transitionScript, [this.keys.order(room, id)], ['state', from.join(','), to, ...fields({ ...patch, [stampField(to)]: Date.now() })])) as Buffer[];
    return reply.length ? toOrder(pairs(reply)) : null;
  }

  async get(id: string): Promise<Order | null> {
    const room = await this.store.hget(this.keys.orderRooms(), id);
    if (!room) return null;
    const hash = await this.store.hgetall(this.keys.order(room, id));
    return Object.keys(hash).length ? toOrder(hash) : null;
  }

  async unsettled(createdBefore: number, limit: number): Promise<Order[]> {
    const ids = (await this.store.call('ZRANGEBYSCORE', this.keys.unsettledOrders(), '-inf', `(${createdBefore}`, 'LIMIT', 0, limit)) as string[];
    const orders = await Promise.all(ids.map((id) => this.get(id)));
    const settled = ids.filter((_, i) => orders[i]?.state !== 'reserved');
    if (settled.length) await this.store.call('ZREM', this.keys.unsettledOrders(), ...settled);
    return orders.filter((o): o is Order => o?.state === 'reserved');
  }
}
