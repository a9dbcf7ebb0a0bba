import type { LuaScript } from './lua-script.ts';

export type Arg = string | number | Buffer | Uint8Array;
export type CommandLine = readonly [string, ...Arg[]];

/** Pub/sub from the receiving side: what the bus subscribes to. Messages arrive as bytes. */
export interface Channels {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  onMessage(handler: (channel: string, message: Buffer) => void): void;
  /**
   * Called after the channels' connection came back and its subscriptions are active again: what
   * was published while it was down was not delivered, and is the caller's to read back.
   */
  onResubscribed(handler: () => void): void;
}

/**
 * What Roomcast asks of a Redis: commands, atomic groups of them, Lua scripts and pub/sub, with
 * Redis's own replies. `RedisStore` sends them to Redis; `EmbeddedStore` answers them in this
 * process, running the same scripts on an embedded Lua VM (the differential test holds the two
 * to the same bytes). Everything above this seam is written once, for both.
 *
 * Replies are Redis's RESP2 shapes: bulk strings (strings from `call`, Buffers from `callBuffer`
 * and scripts), integers as numbers, null, arrays; an error reply rejects with its text.
 */
export abstract class Store {
  abstract readonly kind: 'embedded' | 'redis';
  /** A Redis Cluster: keys that go together share a slot (platform/keys.ts). */
  readonly cluster: boolean = false;
  /**
   * Commands sent so far, as Redis counts a client's commands: a script call is one, a MULTI of n
   * is n + 2, a SUBSCRIBE of many channels is one (what a storm costs Redis per decision).
   */
  commandsSent = 0;
  abstract readonly channels: Channels;
  abstract call(command: string, ...args: Arg[]): Promise<unknown>;
  abstract callBuffer(command: string, ...args: Arg[]): Promise<unknown>;
  /** Applied as one step (MULTI/EXEC); rejects with the first error reply, as EXEC reports it. */
  abstract multi(commands: readonly CommandLine[]): Promise<unknown[]>;
  /** A script's reply, bulk strings as Buffers. */
  abstract run(script: LuaScript, keys: readonly Arg[], args: readonly Arg[]): Promise<unknown>;
  /** Resolves when the store can serve; rejects (promptly) when it cannot. */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  // Typed shorthands for the commands Roomcast's TypeScript reads and writes with.

  get(key: string): Promise<string | null> {
    return this.call('GET', key) as Promise<string | null>;
  }

  hget(key: string, field: string): Promise<string | null> {
    return this.call('HGET', key, field) as Promise<string | null>;
  }

  hmget(key: string, ...fields: string[]): Promise<Array<string | null>> {
    return this.call('HMGET', key, ...fields) as Promise<Array<string | null>>;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return toRecord((await this.call('HGETALL', key)) as string[]);
  }

  async hgetallBuffer(key: string): Promise<Record<string, Buffer>> {
    return toRecord((await this.callBuffer('HGETALL', key)) as Buffer[]);
  }

  async hsetnx(key: string, field: string, value: Arg): Promise<boolean> {
    return (await this.call('HSETNX', key, field, value)) === 1;
  }

  hincrby(key: string, field: string, by: number): Promise<number> {
    return this.call('HINCRBY', key, field, by) as Promise<number>;
  }

  /** Every key matching a glob, by SCAN (never KEYS: a big keyspace would block Redis). */
  async scanKeys(match: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = (await this.call('SCAN', cursor, 'MATCH', match, 'COUNT', 1000)) as [string, string[]];
      keys.push(...page);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  smembers(key: string): Promise<string[]> {
    return this.call('SMEMBERS', key) as Promise<string[]>;
  }

  async sismember(key: string, member: string): Promise<boolean> {
    return (await this.call('SISMEMBER', key, member)) === 1;
  }

  scard(key: string): Promise<number> {
    return this.call('SCARD', key) as Promise<number>;
  }

  lrange(key: string, start: number, stop: number): Promise<string[]> {
    return this.call('LRANGE', key, start, stop) as Promise<string[]>;
  }
}

function toRecord<T extends string | Buffer>(flat: T[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1]!;
  return out;
}
