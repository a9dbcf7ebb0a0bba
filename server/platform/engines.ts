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
import { Shards } from './shards.ts';
import { EmbeddedStore } from './store/embedded/store.ts';
import { RedisStore } from './store/redis/store.ts';
import type { Store } from './store/store.ts';

/**
 * The engine over a store: the same code over Redis and over the embedded store. The bus and the
 * online counts run on the store's scripts unless `inProcess` gives the memory engine's own.
 */
export function createEngine(store: Store, prefix: string, historySize: number, inProcess?: { broker: Broker; presence: Presence }): Engine {
  const keys = keyspace(prefix, { cluster: store.cluster });
  const shards = new Shards(store, keys);
  return {
    kind: store.kind === 'redis' ? 'redis' : 'memory',
    store,
    keys,
    broker: inProcess?.broker ?? new RoomBus(store, keys, historySize),
    presence: inProcess?.presence ?? new OnlineCounts(store, keys),
    idempotency: new Idempotency(store, keys),
    shards,
    schedule: new Scheduler(store, keys, shards),
    locks: new Locks(store, keys.lock),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** Any number of nodes sharing one Redis (`url`) or one Redis Cluster (`cluster`: host:port,...). */
export async function createRedisEngine(options: { url?: string; cluster?: string; prefix: string; historySize: number; waitReplicas?: number; waitTimeoutMs?: number }): Promise<Engine> {
  const name = `roomcast:${options.prefix}`;
  const store = options.cluster ? await RedisStore.connectCluster(options.cluster, name) : await RedisStore.connect(options.url!, name);
  store.durability = { replicas: options.waitReplicas ?? 0, timeoutMs: options.waitTimeoutMs ?? 100 };
  return createEngine(store, options.prefix, options.historySize);
}

/** Everything in this process, on the embedded store: for development, demos and tests. Loses all state on exit. */
export function createMemoryEngine(options: { historySize: number }): Engine {
  const store = new EmbeddedStore();
  return createEngine(store, 'rc', options.historySize, { broker: new MemoryBus(store, options.historySize), presence: new MemoryPresence() });
}

/** The engine the config asks for: redis when REDIS_URL or REDIS_CLUSTER is set, else memory. */
export function openEngine(config: Config): Promise<Engine> | Engine {
  const { url, cluster, prefix, waitReplicas, waitTimeoutMs } = config.redis;
  const historySize = config.rooms.historySize;
  return url || cluster
    ? createRedisEngine({ ...(url ? { url } : {}), ...(cluster ? { cluster } : {}), prefix, historySize, waitReplicas, waitTimeoutMs })
    : createMemoryEngine({ historySize });
}

