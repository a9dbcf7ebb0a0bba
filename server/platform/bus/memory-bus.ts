import type { RoomEvent } from '../../protocol/frames.ts';
import type { Broker, BusMessage, History, NewEvent } from '../engine.ts';
import type { Store } from '../store/store.ts';

interface RoomLog {
  seq: number;
  history: Array<RoomEvent & { topics: string[] }>;
  state: Map<string, unknown>;
}

/**
 * The memory engine's bus: one process, so "delivering to every node" is calling our own handler,
 * and a room's seq, history and state live here. It is infrastructure, not a decision, so it stays
 * TypeScript (as Centrifugo's memory broker does) and skips the Lua and the msgpack round trip that
 * the bus scripts cost on the embedded store; RoomBus runs those scripts on Redis. The engine
 * contract suite (platform/engine.test.ts) holds both to one behaviour.
 */
export class MemoryBus implements Broker {
  private readonly logs = new Map<string, RoomLog>();
  private readonly rooms = new Set<string>();
  private readonly users = new Set<string>();
  private handler: (message: BusMessage) => void = () => {};

  constructor(private readonly store: Store, private readonly historySize: number) {}

  /** In process, nothing is ever disconnected. */
  onResubscribed(): void {}

  onMessage(handler: (message: BusMessage) => void): void {
    this.handler = handler;
  }

  async publishEvent(room: string, topics: readonly string[], { type, data }: NewEvent): Promise<number> {
    const log = this.log(room);
    const event: RoomEvent = { type, data, seq: ++log.seq, ts: Date.now() };
    log.history.push({ ...event, topics: [...topics] });
    if (log.history.length > this.historySize) log.history.shift();
    if (this.rooms.has(room)) this.handler({ k: 'event', room, topics: [...topics], event });
    return event.seq!;
  }

  async publishState(room: string, key: string, value: unknown): Promise<void> {
    this.log(room).state.set(key, value);
    if (this.rooms.has(room)) this.handler({ k: 'state', room, key, value });
  }

  async incrementState(room: string, key: string, by: number): Promise<number> {
    const state = this.log(room).state;
    const value = Number(state.get(key) ?? 0) + by;
    state.set(key, value);
    if (this.rooms.has(room)) this.handler({ k: 'state', room, key, value });
    return value;
  }

  /** Read from the store when published, as on Redis. */
  async publishField(room: string, key: string, hash: string, field: string): Promise<void> {
    await this.publishState(room, key, Number((await this.store.hget(hash, field)) ?? 0));
  }

  async publishChatter(room: string, { type, data }: NewEvent): Promise<void> {
    if (this.rooms.has(room)) this.handler({ k: 'chatter', room, event: { type, data, ts: Date.now() } });
  }

  async publishToUser(uid: string, { type, data }: NewEvent, { evict }: { evict?: string } = {}): Promise<void> {
    if (this.users.has(uid)) this.handler({ k: 'user', uid, event: { type, data, ts: Date.now() }, ...(evict ? { evict } : {}) });
  }

  async subscribeRoom(room: string): Promise<void> {
    this.rooms.add(room);
  }

  async unsubscribeRoom(room: string): Promise<void> {
    this.rooms.delete(room);
  }

  async subscribeUser(uid: string): Promise<void> {
    this.users.add(uid);
  }

  async unsubscribeUser(uid: string): Promise<void> {
    this.users.delete(uid);
  }

  async history(room: string, afterSeq: number): Promise<History> {
    const log = this.log(room);
    const oldest = log.history[0]?.seq ?? log.seq + 1;
    if (afterSeq > log.seq || afterSeq + 1 < oldest) return { seq: log.seq, events: null };
    return { seq: log.seq, events: log.history.filter((e) => e.seq! > afterSeq) };
  }

  async lastSeq(room: string): Promise<number> {
    return this.log(room).seq;
  }

  async roomState(room: string): Promise<Record<string, unknown>> {
    return Object.fromEntries(this.log(room).state);
  }

  private log(room: string): RoomLog {
    let log = this.logs.get(room);
    if (!log) this.logs.set(room, (log = { seq: 0, history: [], state: new Map() }));
    return log;
  }
}
