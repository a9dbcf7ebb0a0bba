import type { Redis } from 'ioredis';
import type { Order } from '../../commerce/model.ts';
import type { OrderStore } from '../commerce.ts';
import { toOrder } from './flash-sales.ts';
import type { RedisKeys } from './keys.ts';

export class RedisOrderStore implements OrderStore {
  constructor(private readonly redis: Redis, private readonly keys: RedisKeys) {}

  async get(id: string): Promise<Order | null> {
    const room = await this.redis.hget(this.keys.orderRooms(), id);
    if (!room) return null;
    const hash = await this.redis.hgetall(this.keys.order(room, id));
    return Object.keys(hash).length ? toOrder(hash) : null;
  }
}
