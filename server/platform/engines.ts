import type { Config } from '../config/schema.ts';
import { RoomBus } from './bus/broker.ts';
import { MemoryBus } from './bus/memory-bus.ts';
import type { Broker, Engine, Presence } from './engine.ts';
import { Idempotency } from './idempotency.ts';
import { keyspace } from './keys.ts';
import { Locks } from './lock/locks.ts';
import { MemoryPresence } from './presence/memory-presence.ts';
import { OnlineCounts } from './presence/presence.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { EmbeddedStore } from './store/embedded/store.ts';
import { RedisStore } from './store/redis/store.ts';
import type { Store } from './store/store.ts';

/**
 * The engine over a store: the same code over Redis and over the embedded store. The bus and the
 * online counts run on the store's scripts unless `inProcess` gives the memory engine's own.
 */
export function createEngine(store: Store, prefix: string, historySize: number, inProcess?: { broker: Broker; presence: Presence }): Engine {
  const keys = keyspace(prefix);
  return {
    kind: store.kind === 'redis' ? 'redis' : 'memory',
    store,
    keys,
    broker: inProcess?.broker ?? new RoomBus(store, keys, historySize),
    presence: inProcess?.presence ?? new OnlineCounts(store, keys),
    idempotency: new Idempotency(store, keys),
    schedule: new Scheduler(store, keys),
    locks: new Locks(store, keys.lock),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** Any number of nodes sharing one Redis. */
export async function createRedisEngine(options: { url: string; prefix: string; historySize: number }): Promise<Engine> {
  return createEngine(await RedisStore.connect(options.url, `roomcast:${options.prefix}`), options.prefix, options.historySize);
}

/** Everything in this process, on the embedded store: for development, demos and tests. Loses all state on exit. */
export function createMemoryEngine(options: { historySize: number }): Engine {
  const store = new EmbeddedStore();
  return createEngine(store, 'rc', options.historySize, { broker: new MemoryBus(store, options.historySize), presence: new MemoryPresence() });
}

/** The engine the config asks for: redis when REDIS_URL is set, else memory. */
export function openEngine(config: Config): Promise<Engine> | Engine {
  const historySize = config.rooms.historySize;
  return config.redis.url ? createRedisEngine({ url: config.redis.url, prefix: config.redis.prefix, historySize }) : createMemoryEngine({ historySize });
}
