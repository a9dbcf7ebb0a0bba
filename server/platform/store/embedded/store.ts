import type { LuaScript } from '../lua-script.ts';
import { Store, type Arg, type Channels, type CommandLine } from '../store.ts';
import { fromBytes, fromText, toBuffer, toText } from './bytes.ts';
import { checkArity, commandFor, Status, type Publisher, type Reply } from './commands.ts';
import { CommandError, Keyspace } from './keyspace.ts';
import { LuaVm } from './lua-vm.ts';

/** An error reply, as ioredis rejects with one. */
export class ReplyError extends Error {
  override name = 'ReplyError';
}

const SWEEP_EVERY_MS = 1000;

/**
 * Redis in this process, for the memory engine: the commands Roomcast uses on an in-memory
 * keyspace, and its Lua scripts run by an embedded Lua VM, so a decision is the same code on
 * both engines. Every command and script runs to completion before the next (one JS thread), which
 * is what makes a script atomic here, as it is in Redis. Published messages reach subscribers
 * after the command that published them, in order, as they would over a socket.
 */
export class EmbeddedStore extends Store {
  readonly kind = 'embedded';
  readonly channels: LocalChannels;
  private readonly db = new Keyspace();
  private readonly vm = new LuaVm();
  private readonly sweeper = setInterval(() => this.db.sweep(), SWEEP_EVERY_MS).unref();
  private readonly execute = (name: string, args: string[]) => this.execute1(name, args);

  constructor() {
    super();
    this.channels = new LocalChannels();
  }

  call(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.answer(() => toJs(this.execute1(command, args.map(toBytesArg)), false));
  }

  callBuffer(command: string, ...args: Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.answer(() => toJs(this.execute1(command, args.map(toBytesArg)), true));
  }

  multi(commands: readonly CommandLine[]): Promise<unknown[]> {
    this.commandsSent += commands.length + 2;
    return this.answer(() => {
      // As EXEC: a malformed command aborts them all; a command failing on its data fails alone.
      for (const [name, ...args] of commands) this.command(name, args.length);
      let failure: CommandError | undefined;
      const replies = commands.map(([name, ...args]) => {
        try {
          return toJs(this.execute1(name, args.map(toBytesArg)), false);
        } catch (err) {
          if (!(err instanceof CommandError)) throw err;
          failure ??= err;
          return null;
        }
      });
      if (failure) throw failure;
      return replies;
    });
  }

  run(script: LuaScript, keys: readonly Arg[], args: readonly Arg[]): Promise<unknown> {
    this.commandsSent++;
    return this.answer(() => {
      this.vm.load(script.sha, script.source);
      const reply = this.db.frozen(() => this.vm.run(script.sha, keys.map(toBytesArg), args.map(toBytesArg), this.execute));
      return toJs(reply, true);
    });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** Every live key and its value, for the differential test. */
  dump(): Keyspace {
    return this.db;
  }

  private execute1(name: string, args: string[]): Reply {
    return this.command(name, args.length).run(this.db, args, this.channels);
  }

  private command(name: string, argc: number) {
    const command = commandFor(name);
    if (!command) throw new CommandError(`ERR unknown command '${name}' (the embedded store answers only the commands Roomcast uses)`);
    checkArity(name, command, argc);
    return command;
  }

  /** The outcome as a settled promise: the work itself ran synchronously, atomically. */
  private answer<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err instanceof CommandError ? new ReplyError(err.message) : err);
    }
  }
}

/** Subscriptions of this process; a published message is delivered on the next microtask. */
export class LocalChannels implements Channels, Publisher {
  private readonly subscribed = new Set<string>();
  private handler: (channel: string, message: Buffer) => void = () => {};

  async subscribe(channel: string): Promise<void> {
    this.subscribed.add(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.subscribed.delete(channel);
  }

  onMessage(handler: (channel: string, message: Buffer) => void): void {
    this.handler = handler;
  }

  /** In process, nothing is ever disconnected. */
  onResubscribed(): void {}

  publish(channel: string, message: string): number {
    if (!this.subscribed.has(channel)) return 0;
    queueMicrotask(() => this.handler(channel, toBuffer(message)));
    return 1;
  }
}

function toBytesArg(arg: Arg): string {
  if (typeof arg === 'string') return fromText(arg);
  if (typeof arg === 'number') return String(arg);
  return fromBytes(arg);
}

/** A reply as ioredis hands it over: bulk strings as UTF-8 text, or as Buffers. */
function toJs(reply: Reply, buffers: boolean): unknown {
  if (typeof reply === 'string') return buffers ? toBuffer(reply) : toText(reply);
  if (reply instanceof Status) return buffers ? Buffer.from(reply.text) : reply.text;
  if (Array.isArray(reply)) return reply.map((r) => toJs(r, buffers));
  return reply;
}
