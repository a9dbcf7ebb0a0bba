import { EmbeddedStore } from './store/embedded/store.ts';
import { RedisStore } from './store/redis/store.ts';
import type { Store } from './store/store.ts';
import type { Engine } from './engine.ts';
import { RedisBroker } from './bus/broker.ts';
import { RedisFlashSaleStore } from '../commerce/flash-sale/store.ts';
import { RedisCouponStore } from '../commerce/coupon/store.ts';
import { RedisGroupBuyStore } from '../commerce/group-buy/store.ts';
import { RedisAssistStore } from '../commerce/assist/store.ts';
import { RedisOrderStore } from '../orders/store.ts';
import { RedisScheduler } from './scheduler/scheduler.ts';
import { RedisIdempotencyStore } from './idempotency.ts';
import { redisKeys } from './keys.ts';
import { RedisPresence } from './presence/presence.ts';
import { RedisRoomStore } from '../rooms/store.ts';
import { RedisWeComStore } from '../wecom/store.ts';
import { RedisGameStore } from '../games/store.ts';

export interface RedisEngineOptions {
  url: string;
  prefix: string;
  historySize: number;
}

/** Any number of nodes sharing one Redis. */
export async function createRedisEngine(options: RedisEngineOptions): Promise<Engine> {
  return createEngine(await RedisStore.connect(options.url), options.prefix, options.historySize);
}

/** Everything in this process, on the embedded store: for development, demos and tests. Loses all state on exit. */
export function createMemoryEngine(options: { historySize: number }): Engine {
  return createEngine(new EmbeddedStore(), 'rc', options.historySize);
}

/** The engine on a store: the same code over Redis and over the embedded store. */
export function createEngine(store: Store, prefix: string, historySize: number): Engine {
  const keys = redisKeys(prefix);
  const broker = new RedisBroker(store, keys, historySize);
  return {
    kind: store.kind === 'redis' ? 'redis' : 'memory',
    broker,
    presence: new RedisPresence(store, keys),
    rooms: new RedisRoomStore(store, keys),
    idempotency: new RedisIdempotencyStore(store, keys),
    commerce: {
      flash: new RedisFlashSaleStore(store, keys, broker),
      coupons: new RedisCouponStore(store, keys, broker),
      groups: new RedisGroupBuyStore(store, keys),
      assists: new RedisAssistStore(store, keys),
      orders: new RedisOrderStore(store, keys),
      schedule: new RedisScheduler(store, keys),
    },
    wecom: new RedisWeComStore(store, keys),
    games: new RedisGameStore(store, keys),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
