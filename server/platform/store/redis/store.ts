import { Command, Redis } from 'ioredis';
import type { LuaScript } from '../lua-script.ts';
import { Store, type Arg, type Channels, type CommandLine } from '../store.ts';
import { Subscriptions } from './subscriptions.ts';

/** Readiness must answer promptly: while Redis is away ioredis queues commands until it returns. */
const PING_TIMEOUT_MS = 1000;

/**
 * Redis itself, over two connections: one for commands (auto-pipelined: concurrent calls share a
 * round trip) and one in subscriber mode for the bus. ioredis reconnects and resubscribes by itself.
 * Scripts go by SHA (EVALSHA), and by body when this Redis does not know them yet (NOSCRIPT: first
 * use, or a restarted Redis), as ioredis's defineCommand does, without registering each one first.
 */
export class RedisStore extends Store {
  readonly kind = 'redis';
  readonly channels: Channels;
  private constructor(private readonly redis: Redis, private readonly subscriber: Redis) {
    super();
    this.channels = new RedisChannels(subscriber, () => this.commandsSent++);
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

  call(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.redis.call(command, ...args.map(wire));
  }

  /**
   * Sent as its own command: ioredis 6's auto-pipelining drops the command name of `callBuffer`
   * (autoPipelining.js restores it for `call` only). Buffer replies are rare here (a join's room state).
   */
  callBuffer(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.redis.sendCommand(new Command(command, args.map(wire), { replyEncoding: null })) as Promise<unknown>;
  }

  async multi(commands: readonly CommandLine[]): Promise<unknown[]> {
    this.commandsSent += commands.length + 2;
    // ioredis builds the transaction by method name, which is lower case.
    const results = (await this.redis.multi(commands.map(([name, ...args]) => [name.toLowerCase(), ...args.map(wire)])).exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    return results.map(([, reply]) => reply);
  }

  async run(script: LuaScript, keys: readonly Arg[], args: readonly Arg[]): Promise<unknown> {
    const params = [keys.length, ...keys.map(wire), ...args.map(wire)];
    // ioredis has the Buffer variants of EVAL and EVALSHA at run time, not in its types.
    const redis = this.redis as unknown as Record<'evalshaBuffer' | 'evalBuffer', (...a: Array<string | number | Buffer>) => Promise<unknown>>;
    this.commandsSent++;
    try {
      return await redis.evalshaBuffer(script.sha, ...params);
    } catch (err) {
      if (!(err as Error).message.startsWith('NOSCRIPT')) throw err;
      this.commandsSent++;
      return redis.evalBuffer(script.source, ...params);
    }
  }

  ping(): Promise<void> {
    this.commandsSent++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer PING')), PING_TIMEOUT_MS)));
    return Promise.race([this.redis.ping().then(() => undefined), timeout]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
  }
}

class RedisChannels implements Channels {
  private readonly subscriptions: Subscriptions;

  constructor(private readonly subscriber: Redis, onCommand: () => void) {
    this.subscriptions = new Subscriptions(subscriber, onCommand);
  }

  subscribe(channel: string): Promise<void> {
    return this.subscriptions.subscribe(channel);
  }

  unsubscribe(channel: string): Promise<void> {
    return this.subscriptions.unsubscribe(channel);
  }

  onMessage(handler: (channel: string, message: Buffer) => void): void {
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => handler(channel.toString(), message));
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
