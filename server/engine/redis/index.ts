import { EmbeddedStore } from '../../platform/store/embedded/store.ts';
import { RedisStore } from '../../platform/store/redis/store.ts';
import type { Store } from '../../platform/store/store.ts';
import type { Engine } from '../engine.ts';
import { RedisBroker } from './broker.ts';
import { RedisFlashSaleStore } from './flash-sales.ts';
import { RedisCouponStore } from './coupons.ts';
import { RedisGroupBuyStore } from './groups.ts';
import { RedisAssistStore } from './assists.ts';
import { RedisOrderStore } from './orders.ts';
import { RedisScheduler } from './schedule.ts';
import { RedisIdempotencyStore } from './idempotency.ts';
import { redisKeys } from './keys.ts';
import { RedisPresence } from './presence.ts';
import { RedisRoomStore } from './rooms.ts';
import { RedisWeComStore } from './wecom.ts';
import { RedisGameStore } from './games.ts';

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
