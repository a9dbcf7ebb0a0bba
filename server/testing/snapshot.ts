import { EmbeddedStore } from '../platform/store/embedded/store.ts';
import type { Store } from '../platform/store/store.ts';
import type { Engine } from '../platform/engine.ts';

export interface KeyDump {
  type: string;
  value: unknown;
  /** Milliseconds left, -1 without expiry. */
  ttl: number;
}

/**
 * Every key of the engine's prefix as `{ type, value, ttl }`, named without the prefix, in a form
 * two stores can be compared in: bytes as latin1 strings, hash fields and set members sorted (their
 * order is Redis's hash order, which nothing may depend on).
 */
export async function snapshot(engine: Engine): Promise<Record<string, KeyDump>> {
  const { store, keys } = engine;
  const names = store instanceof EmbeddedStore
    ? store.dump().keys().filter((k) => k.startsWith(`${keys.prefix}:`))
    : ((await store.call('KEYS', `${keys.prefix}:*`)) as string[]);
  return dump(store, names, `${keys.prefix}:`);
}

/** The keys given, read as snapshot() reads them; `strip` is taken off their names. */
export async function dump(store: Store, names: string[], strip = ''): Promise<Record<string, KeyDump>> {
  const out: Record<string, KeyDump> = {};
  for (const key of [...names].sort()) {
    const type = String(await store.call('TYPE', key));
    const read: Record<string, () => Promise<unknown>> = {
      string: () => store.callBuffer('GET', key),
      hash: async () => pairsOf((await store.callBuffer('HGETALL', key)) as Buffer[]).sort((a, b) => Buffer.compare(a[0], b[0])),
      set: async () => ((await store.callBuffer('SMEMBERS', key)) as Buffer[]).sort(Buffer.compare),
      zset: () => store.callBuffer('ZRANGEBYSCORE', key, '-inf', '+inf', 'WITHSCORES'),
      list: () => store.callBuffer('LRANGE', key, 0, -1),
      stream: () => store.callBuffer('XRANGE', key, '-', '+'),
    };
    out[key.startsWith(strip) ? key.slice(strip.length) : key] = { type, value: bytes(await read[type]!()), ttl: Number(await store.call('PTTL', key)) };
  }
  return out;
}

/** Buffers as latin1 strings: the same bytes, readable in a diff. */
function bytes(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return Array.isArray(value) ? value.map(bytes) : value;
}

function pairsOf(flat: Buffer[]): Array<[Buffer, Buffer]> {
  const out: Array<[Buffer, Buffer]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
