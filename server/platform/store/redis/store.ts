import { Cluster, Command, Redis } from 'ioredis';
import { RoomcastError } from '../../../protocol/errors.ts';
import { slotOfKey } from '../../slots.ts';
import type { LuaScript } from '../lua-script.ts';
import { Store, type Arg, type Channels, type CommandLine } from '../store.ts';
import { Subscriptions } from './subscriptions.ts';

/** Readiness must answer promptly: while Redis is away ioredis queues commands until it returns. */
const PING_TIMEOUT_MS = 1000;
/**
 * On a cluster, a command that has no answer within this long fails (`unavailable`) rather than
 * waiting in ioredis's queue while the cluster is down: a viewer's tap is answered within a second,
 * and readiness says 503 as soon.
 * It may have been applied: every decision is idempotent by its request, so a retry changes nothing twice.
 */
const CLUSTER_COMMAND_TIMEOUT_MS = 800;

type Client = Redis | Cluster;

/** A host:port list as REDIS_CLUSTER names the nodes. */
export function clusterNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((node) => node.trim()).filter(Boolean).map((node) => {
    const at = node.lastIndexOf(':');
    const port = Number(node.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`REDIS_CLUSTER: "${node}" is not host:port`);
    return { host: node.slice(0, at), port };
  });
}

/**
 * Redis itself, over two connections: one for commands (auto-pipelined: concurrent calls share a
 * round trip) and one in subscriber mode for the bus. ioredis reconnects and resubscribes by itself.
 * Scripts go by SHA (EVALSHA), and by body when this Redis does not know them yet (NOSCRIPT: first
 * use, or a restarted Redis), as ioredis's defineCommand does, without registering each one first.
 */
export class RedisStore extends Store {
  readonly kind = 'redis';
  override readonly cluster: boolean;
  readonly channels: Channels;
  private constructor(private readonly redis: Client, private readonly subscriber: Client) {
    super();
    this.cluster = redis instanceof Cluster;
    this.channels = new RedisChannels(subscriber, this.cluster, () => this.commandsSent++);
  }

  /** `name`: what CLIENT LIST shows for the two connections (`<name>` and `<name>:bus`). */
  static async connect(url: string, name = 'roomcast'): Promise<RedisStore> {
    // RESP2: the reply shapes the embedded store answers with (RESP3 nests WITHSCORES pairs, for one).
    const redis = new Redis(url, { enableAutoPipelining: true, lazyConnect: true, protocol: 2, connectionName: name });
    const subscriber = new Redis(url, { lazyConnect: true, protocol: 2, connectionName: `${name}:bus` });
    await Promise.all([redis.connect(), subscriber.connect()]).catch((err: Error) => {
      redis.disconnect();
      subscriber.disconnect();
      throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${err.message}`);
    });
    return new RedisStore(redis, subscriber);
  }

  /**
   * A Redis Cluster (REDIS_CLUSTER): commands routed by slot, the bus on sharded pub/sub (one
   * subscriber connection per master, ioredis's `shardedSubscribers`). Refuses to start, naming the
   * nodes it tried, when none answers.
   */
  static async connectCluster(nodes: string, name = 'roomcast'): Promise<RedisStore> {
    const startup = clusterNodes(nodes);
    const options = {
      enableAutoPipelining: true, lazyConnect: true, scaleReads: 'master' as const,
      redisOptions: { protocol: 2 as const, connectionName: name, commandTimeout: CLUSTER_COMMAND_TIMEOUT_MS },
    };
    const redis = new Cluster(startup, options);
    const subscriber = new Cluster(startup, { ...options, shardedSubscribers: true, redisOptions: { protocol: 2 as const, connectionName: `${name}:bus` } });
    for (const client of [redis, subscriber]) client.on('error', () => {});
    const tried = startup.map(({ host, port }) => `${host}:${port}`).join(', ');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref());
    await Promise.race([Promise.all([redis.connect(), subscriber.connect()]), timeout]).catch((err: Error) => {
      redis.disconnect();
      subscriber.disconnect();
      throw new Error(`cannot reach the Redis Cluster at ${tried}: ${err.message}`);
    });
    return new RedisStore(redis, subscriber);
  }

  call(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.unavailableWhenDown(this.redis.call(command, ...args.map(wire)));
  }

  /**
   * Sent as its own command: ioredis 6's auto-pipelining drops the command name of `callBuffer`
   * (autoPipelining.js restores it for `call` only). Buffer replies are rare here (a join's room state).
   */
  callBuffer(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.unavailableWhenDown(this.redis.sendCommand(new Command(command, args.map(wire), { replyEncoding: null })) as Promise<unknown>);
  }

  async multi(commands: readonly CommandLine[]): Promise<unknown[]> {
    this.commandsSent += commands.length + 2;
    // ioredis builds the transaction by method name, which is lower case.
    const results = (await this.unavailableWhenDown(this.redis.multi(commands.map(([name, ...args]) => [name.toLowerCase(), ...args.map(wire)])).exec())) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    return results.map(([, reply]) => reply);
  }

  /** On a cluster: the scripts this store has run (the test that runs every script reads it). */
  readonly scriptsRun = new Set<string>();
  /**
   * With `replicas` > 0, every script call is followed, on the same connection to the same master,
   * by `WAIT replicas timeoutMs`: its writes reached that many replicas before the caller hears it
   * (or the timeout passed; WAIT is best effort and cannot undo). Narrows, never closes, the window
   * in which a failover loses acknowledged writes (docs/operations.md).
   */
  durability = { replicas: 0, timeoutMs: 100 };

  async run(script: LuaScript, keys: readonly Arg[], args: readonly Arg[]): Promise<unknown> {
    if (this.cluster) {
      // Said here, by name, rather than as Redis's CROSSSLOT about a SHA.
      const slots = new Set(keys.map((key) => slotOfKey(String(key))));
      if (slots.size > 1) throw new Error(`lua script ${script.name}: its keys are in ${slots.size} slots of the cluster: ${keys.join(' ')}`);
      this.scriptsRun.add(script.name);
    }
    const params = [keys.length, ...keys.map(wire), ...args.map(wire)];
    if (this.durability.replicas > 0) return this.runThenWait(script, params);
    // ioredis has the Buffer variants of EVAL and EVALSHA at run time, not in its types.
    const redis = this.redis as unknown as Record<'evalshaBuffer' | 'evalBuffer', (...a: Array<string | number | Buffer>) => Promise<unknown>>;
    this.commandsSent++;
    try {
      return await this.unavailableWhenDown(redis.evalshaBuffer(script.sha, ...params));
    } catch (err) {
      if (!(err as Error).message.startsWith('NOSCRIPT')) throw err;
      this.commandsSent++;
      return this.unavailableWhenDown(redis.evalBuffer(script.source, ...params));
    }
  }

  /** The script and WAIT in one pipeline: they reach the same master (its keys' slot decides). */
  private async runThenWait(script: LuaScript, params: Array<string | number | Buffer>): Promise<unknown> {
    const { replicas, timeoutMs } = this.durability;
    this.commandsSent += 2;
    const pipeline = (evalCommand: 'evalshaBuffer' | 'evalBuffer', body: string) => {
      const p = this.redis.pipeline() as unknown as Record<typeof evalCommand, (...a: unknown[]) => unknown> & { call(...a: unknown[]): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
      p[evalCommand](body, ...params);
      p.call('WAIT', replicas, timeoutMs);
      return this.unavailableWhenDown(p.exec());
    };
    let results = (await pipeline('evalshaBuffer', script.sha)) ?? [];
    if (results[0]?.[0]?.message.startsWith('NOSCRIPT')) {
      this.commandsSent += 2;
      results = (await pipeline('evalBuffer', script.source)) ?? [];
    }
    // WAIT's count of replicas that acknowledged is not acted on: it is best effort (see above).
    const [[err, reply] = [null, null]] = results;
    if (err) throw err;
    return reply;
  }

  /** On a cluster, every master's keys: SCAN reads one node. */
  override async scanKeys(match: string): Promise<string[]> {
    if (!(this.redis instanceof Cluster)) return super.scanKeys(match);
    const pages = await Promise.all(this.redis.nodes('master').map(async (node) => {
      const keys: string[] = [];
      let cursor = '0';
      do {
        this.commandsSent++;
        const [next, page] = (await node.call('SCAN', cursor, 'MATCH', match, 'COUNT', 1000)) as [string, string[]];
        keys.push(...page);
        cursor = next;
      } while (cursor !== '0');
      return keys;
    }));
    return pages.flat();
  }

  /**
   * A cluster that is down (or a node that is gone before the cluster notices) fails a command
   * within the command timeout: the client hears `unavailable`, and tries again.
   */
  private async unavailableWhenDown<T>(reply: Promise<T>): Promise<T> {
    if (!this.cluster) return reply;
    try {
      return await reply;
    } catch (err) {
      const message = (err as Error).message;
      if (/timed out|CLUSTERDOWN|TRYAGAIN|Connection is closed|max redirections|ECONNREFUSED|Failed to refresh slots/i.test(message)) {
        throw Object.assign(new RoomcastError('unavailable', 'Redis Cluster did not answer; try again'), { cause: err });
      }
      throw err;
    }
  }

  /** On a cluster, every master must answer, and say its cluster is ok. */
  ping(): Promise<void> {
    this.commandsSent++;
    let timer: NodeJS.Timeout | undefined;
    const limit = this.cluster ? CLUSTER_COMMAND_TIMEOUT_MS : PING_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer PING')), limit)));
    const answered = this.redis instanceof Cluster
      ? Promise.all(this.redis.nodes('master').map(async (node) => {
        const info = String(await node.call('CLUSTER', 'INFO'));
        if (!info.includes('cluster_state:ok')) throw new Error(`cluster state is not ok at ${node.options.host}:${node.options.port}`);
      })).then(() => {
        if (!(this.redis as Cluster).nodes('master').length) throw new Error('no master reachable');
      })
      : this.redis.ping().then(() => undefined);
    return Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
  }
}

class RedisChannels implements Channels {
  private readonly subscriptions: Subscriptions;

  /** `sharded`: SSUBSCRIBE, one command per slot (a command's channels must share one). */
  constructor(private readonly subscriber: Client, private readonly sharded: boolean, onCommand: () => void) {
    const send = sharded
      ? (subscribe: boolean, channels: string[]) => {
        const bySlot = new Map<number, string[]>();
        for (const channel of channels) bySlot.set(slotOfKey(channel), [...(bySlot.get(slotOfKey(channel)) ?? []), channel]);
        const client = subscriber as unknown as Record<'ssubscribe' | 'sunsubscribe', (...c: string[]) => Promise<unknown>>;
        return Promise.all([...bySlot.values()].map((group) => (subscribe ? client.ssubscribe(...group) : client.sunsubscribe(...group)))).then(() => undefined);
      }
      : (subscribe: boolean, channels: string[]) => (subscribe ? subscriber.subscribe(...channels) : subscriber.unsubscribe(...channels)).then(() => undefined);
    this.subscriptions = new Subscriptions(send, onCommand);
  }

  subscribe(channel: string): Promise<void> {
    return this.subscriptions.subscribe(channel);
  }

  unsubscribe(channel: string): Promise<void> {
    return this.subscriptions.unsubscribe(channel);
  }

  onMessage(handler: (channel: string, message: Buffer) => void): void {
    this.subscriber.on(this.sharded ? 'smessageBuffer' : 'messageBuffer', (channel: Buffer, message: Buffer) => handler(channel.toString(), message));
  }

  /**
   * ioredis emits `ready` on a reconnect before it writes the SUBSCRIBE that restores the channels,
   * in the same turn; a PING sent after that turn is answered after that SUBSCRIBE, so by then
   * every channel is live again.
   */
  onResubscribed(handler: () => void): void {
    let connected = this.subscriber.status === 'ready';
    this.subscriber.on('ready', () => {
      if (!connected) {
        connected = true;
        return;
      }
      setImmediate(() => this.subscriber.ping().then(handler, () => {}));
    });
  }
}

/** ioredis takes strings, numbers and Buffers; a Uint8Array goes as a Buffer over the same bytes. */
function wire(arg: Arg): string | number | Buffer {
  return arg instanceof Uint8Array && !Buffer.isBuffer(arg) ? Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength) : (arg as string | number | Buffer);
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
