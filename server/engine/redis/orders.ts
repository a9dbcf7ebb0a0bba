import type { Redis } from 'ioredis';
import { stampField, type Order } from '../../commerce/model.ts';
import type { OrderState } from '../../protocol/views.ts';
import { fields, pairs } from './hashes.ts';
import { script, type Script } from './scripts.ts';
import type { OrderStore } from '../commerce.ts';
import { toOrder } from './flash-sales.ts';
import type { RedisKeys } from './keys.ts';

export class RedisOrderStore implements OrderStore {
  private readonly transitionScript: Script;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, scripts: Map<string, Script>) {
    this.transitionScript = script(scripts, 'transition');
  }

  async transition(id: string, from: OrderState[], to: OrderState, patch: Partial<Order> = {}): Promise<Order | null> {
    const room = await this.redis.hget(this.keys.orderRooms(), id);
    if (!room) return null;
    const reply = (await this.transitionScript([this.keys.order(room, id)], ['state', from.join(','), to, ...fields({ ...patch, [stampField(to)]: Date.now() })])) as Buffer[];
    return reply.length ? toOrder(pairs(reply)) : null;
  }

  async get(id: string): Promise<Order | null> {
    const room = await this.redis.hget(this.keys.orderRooms(), id);
    if (!room) return null;
    const hash = await this.redis.hgetall(this.keys.order(room, id));
    return Object.keys(hash).length ? toOrder(hash) : null;
  }

  async unsettled(createdBefore: number, limit: number): Promise<Order[]> {
    const ids = await this.redis.zrangebyscore(this.keys.unsettledOrders(), '-inf', `(${createdBefore}`, 'LIMIT', 0, limit);
    const orders = await Promise.all(ids.map((id) => this.get(id)));
    const settled = ids.filter((_, i) => orders[i]?.state !== 'reserved');
    if (settled.length) await this.redis.zrem(this.keys.unsettledOrders(), ...settled);
    return orders.filter((o): o is Order => o?.state === 'reserved');
  }
}
