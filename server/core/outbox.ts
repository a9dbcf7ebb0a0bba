import type { BatchFrame, RoomEvent, ServerFrame, UserFrame } from '../protocol/frames.ts';
import { ChatterSampler } from './chatter-sampler.ts';
import { roomTopic, userTopic } from './topics.ts';

interface TopicBuffer {
  events: RoomEvent[];
  state: Map<string, unknown>;
}

interface RoomBuffer {
  seq: number;
  topics: Map<string, TopicBuffer>;
  chatter: ChatterSampler;
  /** The state values last sent (numbers, strings, booleans): the same value again sends nothing. */
  sent: Map<string, unknown>;
}

/**
 * What this node has to send, by room and topic, until the next flush. Critical events keep their
 * order; state keeps only the latest value per key; chatter is sampled. `drain` turns it into one
 * frame per topic, each to be encoded once and published once.
 */
export class Outbox {
  private readonly rooms = new Map<string, RoomBuffer>();
  private readonly users = new Map<string, RoomEvent[]>();
  private readonly dirtyRooms = new Set<string>();

  constructor(private readonly chatterPerTick: number) {}

  addEvent(room: string, topic: string, event: RoomEvent): void {
    const buffer = this.room(room);
    if (event.seq !== undefined && event.seq > buffer.seq) buffer.seq = event.seq;
    this.topic(buffer, topic).events.push(event);
    this.dirtyRooms.add(room);
  }

  /**
   * The latest value of a state key. A value equal to the one last sent is not sent again (a stock
   * counter read after the storm sold out, every node republishing the same 0): a frame to every
   * viewer of the room saved. One waiting to be sent is replaced either way, so A, B, A sends A.
   */
  setState(room: string, key: string, value: unknown): void {
    const buffer = this.room(room);
    const pending = buffer.topics.get(roomTopic(room))?.state;
    if (!pending?.has(key) && isPrimitive(value) && buffer.sent.get(key) === value) return;
    this.topic(buffer, roomTopic(room)).state.set(key, value);
    this.dirtyRooms.add(room);
  }

  addChatter(room: string, event: RoomEvent): void {
    this.room(room).chatter.offer(event);
    this.dirtyRooms.add(room);
  }

  addUserEvent(uid: string, event: RoomEvent): void {
    const events = this.users.get(uid);
    if (events) events.push(event);
    else this.users.set(uid, [event]);
  }

  /** Something waits for the next drain. */
  pending(): boolean {
    return this.dirtyRooms.size > 0 || this.users.size > 0;
  }

  /** Highest critical seq this node has seen for the room. */
  seq(room: string): number {
    return this.rooms.get(room)?.seq ?? 0;
  }

  noteSeq(room: string, seq: number): void {
    const buffer = this.room(room);
    if (seq > buffer.seq) buffer.seq = seq;
  }

  forget(room: string): void {
    this.rooms.delete(room);
    this.dirtyRooms.delete(room);
  }

  *drain(): Generator<[topic: string, frame: ServerFrame]> {
    for (const room of this.dirtyRooms) {
      const buffer = this.rooms.get(room);
      if (!buffer) continue;
      let dropped: Record<string, number> | undefined;
      if (!buffer.chatter.empty) {
        const sample = buffer.chatter.drain();
        this.topic(buffer, roomTopic(room)).events.push(...sample.events);
        dropped = sample.dropped;
      }
      yield* this.frames(room, buffer, dropped);
    }
    this.dirtyRooms.clear();
    for (const [uid, events] of this.users) {
      const frame: UserFrame = { t: 'user', events };
      yield [userTopic(uid), frame];
    }
    this.users.clear();
  }

  private *frames(room: string, buffer: RoomBuffer, dropped?: Record<string, number>): Generator<[string, BatchFrame]> {
    for (const [key, value] of buffer.topics.get(roomTopic(room))?.state ?? []) {
      if (isPrimitive(value)) buffer.sent.set(key, value);
      else buffer.sent.delete(key);
    }
    for (const [topic, pending] of buffer.topics) {
      const frame: BatchFrame = { t: 'batch', room, seq: buffer.seq, events: pending.events, state: Object.fromEntries(pending.state) };
      if (dropped && topic === roomTopic(room)) frame.dropped = dropped;
      yield [topic, frame];
    }
    buffer.topics.clear();
  }

  private room(room: string): RoomBuffer {
    let buffer = this.rooms.get(room);
    if (!buffer) this.rooms.set(room, (buffer = { seq: 0, topics: new Map(), chatter: new ChatterSampler(this.chatterPerTick), sent: new Map() }));
    return buffer;
  }

  private topic(buffer: RoomBuffer, topic: string): TopicBuffer {
    let pending = buffer.topics.get(topic);
    if (!pending) buffer.topics.set(topic, (pending = { events: [], state: new Map() }));
    return pending;
  }
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}
