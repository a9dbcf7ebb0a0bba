import { Redis } from 'ioredis';
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
import { loadScripts } from './scripts.ts';
import { RedisWeComStore } from './wecom.ts';
import { RedisGameStore } from './games.ts';

export interface RedisEngineOptions {
  url: string;
  prefix: string;
  historySize: number;
}

/**
 * Two connections: one for commands (auto-pipelined: concurrent calls share a round trip) and one
 * in subscriber mode for the bus. ioredis reconnects and resubscribes by itself.
 */
export async function createRedisEngine(options: RedisEngineOptions): Promise<Engine> {
  const redis = new Redis(options.url, { enableAutoPipelining: true, lazyConnect: true });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  await Promise.all([redis.connect(), subscriber.connect()]).catch(async (err: Error) => {
    redis.disconnect();
    subscriber.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(options.url)}: ${err.message}`);
  });
  const keys = redisKeys(options.prefix);
  const scripts = loadScripts(redis);
  const broker = new RedisBroker(redis, subscriber, keys, scripts, options.historySize);
  return {
    kind: 'redis',
    broker,
    presence: new RedisPresence(redis, keys, scripts),
    rooms: new RedisRoomStore(redis, keys, scripts),
    idempotency: new RedisIdempotencyStore(redis, keys),
    commerce: {
      flash: new RedisFlashSaleStore(redis, keys, scripts, broker),
      coupons: new RedisCouponStore(redis, keys, scripts, broker),
      groups: new RedisGroupBuyStore(redis, keys, scripts),
      assists: new RedisAssistStore(redis, keys, scripts),
      orders: new RedisOrderStore(redis, keys, scripts),
      schedule: new RedisScheduler(redis, keys, scripts),
    },
    wecom: new RedisWeComStore(redis, keys),
    games: new RedisGameStore(redis, keys, scripts),
    ping: () => answerWithin(redis.ping(), PING_TIMEOUT_MS, 'Redis did not answer PING'),
    close: async () => {
      await Promise.allSettled([redis.quit(), subscriber.quit()]);
    },
  };
}

/** Readiness must answer promptly: while Redis is away ioredis queues commands until it returns. */
const PING_TIMEOUT_MS = 1000;

async function answerWithin(promise: Promise<unknown>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
