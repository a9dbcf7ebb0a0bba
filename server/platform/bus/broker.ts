import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import { decode, decodeAll, encode } from '../../protocol/codec.ts';
import type { RoomEvent } from '../../protocol/frames.ts';
import type { Broker, BusMessage, History, NewEvent } from '../engine.ts';
import type { Keys } from '../keys.ts';

const publishEventScript = luaScript(new URL('./publish-event-2.lua', import.meta.url));
const readHistoryScript = luaScript(new URL('./read-history-2.lua', import.meta.url));
const publishStateScript = luaScript(new URL('./publish-state-1.lua', import.meta.url));
const incrementStateScript = luaScript(new URL('./increment-state-1.lua', import.meta.url));
const publishFieldScript = luaScript(new URL('./publish-field-2.lua', import.meta.url));

/**
 * The bus is the store's pub/sub: a node subscribes once per room (and per connected user), never
 * per viewer, so Redis fans out to nodes and each node fans out to its sockets. A published message
 * is two msgpack values: an integer stamp (the seq of an event, the total of a counter, else 0),
 * then the envelope; the scripts prepend the stamp so seq allocation and delivery are one atomic step.
 */
export class RoomBus implements Broker {
  private handler: (message: BusMessage) => void = () => {};

  /** "1" on a Redis Cluster: the scripts publish by sharded pub/sub (bus/publish.lua). */
  private readonly sharded: string;

  constructor(private readonly store: Store, private readonly keys: Keys, private readonly historySize: number) {
    this.sharded = store.cluster ? '1' : '0';
    store.channels.onMessage((_channel, message) => this.receive(message));
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handler = handler;
  }

  onResubscribed(handler: () => void): void {
    this.store.channels.onResubscribed(handler);
  }

  async publishEvent(room: string, topics: readonly string[], { type, data }: NewEvent): Promise<number> {
    const envelope = encode({ k: 'event', room, topics, event: { type, data, ts: Date.now() } });
    const seq = await this.store.run(publishEventScript,
      [this.keys.roomSeq(room), this.keys.roomHistory(room)],
      [this.keys.roomChannel(room), envelope, this.historySize, this.sharded],
    );
    return Number(seq);
  }

  async publishState(room: string, key: string, value: unknown): Promise<void> {
    await this.store.run(publishStateScript,
      [this.keys.roomState(room)],
      [key, encode(value), this.keys.roomChannel(room), encode({ k: 'state', room, key, value }), this.sharded],
    );
  }

  async incrementState(room: string, key: string, by: number): Promise<number> {
    const total = await this.store.run(incrementStateScript, [this.keys.roomCounters(room)], [key, by, this.keys.roomChannel(room), stampedState(room, key), this.sharded]);
    return Number(total);
  }

  async publishField(room: string, key: string, hash: string, field: string): Promise<void> {
    await this.store.run(publishFieldScript, [hash, this.keys.roomCounters(room)], [field, key, this.keys.roomChannel(room), stampedState(room, key), this.sharded]);
  }

  async publishChatter(room: string, { type, data }: NewEvent): Promise<void> {
    await this.publish(this.keys.roomChannel(room), { k: 'chatter', room, event: { type, data, ts: Date.now() } });
  }

  async publishToUser(uid: string, { type, data }: NewEvent, { evict }: { evict?: string } = {}): Promise<void> {
    await this.publish(this.keys.userChannel(uid), { k: 'user', uid, event: { type, data, ts: Date.now() }, ...(evict ? { evict } : {}) });
  }

  subscribeRoom(room: string): Promise<void> {
    return this.store.channels.subscribe(this.keys.roomChannel(room));
  }

  unsubscribeRoom(room: string): Promise<void> {
    return this.store.channels.unsubscribe(this.keys.roomChannel(room));
  }

  subscribeUser(uid: string): Promise<void> {
    return this.store.channels.subscribe(this.keys.userChannel(uid));
  }

  unsubscribeUser(uid: string): Promise<void> {
    return this.store.channels.unsubscribe(this.keys.userChannel(uid));
  }

  async history(room: string, afterSeq: number): Promise<History> {
    const reply = (await this.store.run(readHistoryScript, [this.keys.roomSeq(room), this.keys.roomHistory(room)], [afterSeq])) as Array<
      number | Buffer
    >;
    const seq = Number(reply[0]);
    if (Number(reply[1]) === 0) return { seq, events: null };
    const events: History['events'] = [];
    for (let i = 2; i < reply.length; i += 2) {
      const envelope = decode(reply[i + 1] as Buffer) as { topics: string[]; event: RoomEvent };
      events.push({ ...envelope.event, seq: Number.parseInt(String(reply[i]), 10), topics: envelope.topics });
    }
    return { seq, events };
  }

  async lastSeq(room: string): Promise<number> {
    return Number((await this.store.get(this.keys.roomSeq(room))) ?? 0);
  }

  async roomState(room: string): Promise<Record<string, unknown>> {
    const [state, counters] = await Promise.all([
      this.store.hgetallBuffer(this.keys.roomState(room)),
      this.store.hgetall(this.keys.roomCounters(room)),
    ]);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) out[key] = decode(value);
    for (const [key, value] of Object.entries(counters)) out[key] = Number(value);
    return out;
  }

  private async publish(channel: string, envelope: BusMessage): Promise<void> {
    await this.store.call(this.store.cluster ? 'SPUBLISH' : 'PUBLISH', channel, Buffer.concat([encode(0), encode(envelope)]));
  }

  private receive(message: Buffer): void {
    const [stamp, envelope] = decodeAll(message) as [number, BusMessage & { stamped?: boolean }];
    if (envelope.k === 'event') envelope.event.seq = stamp;
    else if (envelope.k === 'state' && envelope.stamped) {
      envelope.value = stamp;
      delete envelope.stamped;
    }
    this.handler(envelope);
  }
}

/** A state envelope whose value is the integer stamp the script puts in front of it. */
function stampedState(room: string, key: string): Uint8Array {
  return encode({ k: 'state', room, key, value: null, stamped: true });
}
