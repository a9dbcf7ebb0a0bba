import type { Logger } from 'pino';
import type { BusMessage, Engine } from '../platform/engine.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { RoomEvent, ServerFrame } from '../protocol/frames.ts';
import { Outbox } from './outbox.ts';

/** Where frames leave the node: each transport publishes a frame to its subscribers of a topic. */
export interface Fanout {
  /** Encodes the frame once and hands it to every subscriber of the topic; returns how many. */
  publish(topic: string, frame: ServerFrame): number;
  /**
   * Sends the replies it held for this tick, just before the tick's frames, in the same turn of
   * the event loop: a socket's replies and its frames then leave in one write.
   */
  flushReplies(): void;
}

export interface HubOptions {
  nodeId: string;
  tickMs: number;
  chatterPerTick: number;
  presenceIntervalMs: number;
  presenceTtlMs: number;
}

/** A local session, as the hub sees it: what an eviction makes leave a room. */
export interface Member {
  leaveRoom(room: string): void;
}

interface LocalRoom {
  members: number;
  subscribed: Promise<void>;
  online: number;
}

/**
 * This node's side of the fan-out: which rooms and users it has sockets for, the bus messages it
 * receives for them, and the tick that turns them into frames. Everything, critical events
 * included, waits for the tick: a socket write costs far more than encoding, so one frame carrying
 * every event of a tick is what keeps CPU per delivered event low. The price is up to one tick
 * (`rooms.tickMs`) of latency.
 */
export class Hub {
  private readonly outbox: Outbox;
  private readonly rooms = new Map<string, LocalRoom>();
  private readonly users = new Map<string, { sessions: Set<Member>; subscribed: Promise<void> }>();
  private readonly likes = new Map<string, number>();
  /** Rooms this node just left: reported once with 0 so the total drops without waiting for ttl. */
  private readonly leftRooms = new Set<string>();
  private readonly fanouts: Fanout[] = [];
  /**
   * The highest seq delivered to this node from the bus, per room: after a bus reconnect, history
   * past it is what was missed, and a live copy of an event caught up that way is dropped.
   */
  private readonly received = new Map<string, number>();
  private tickTimer: NodeJS.Timeout | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly options: HubOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.outbox = new Outbox(options.chatterPerTick);
    engine.broker.onMessage((message) => this.receive(message));
    engine.broker.onResubscribed(() => void this.catchUp());
  }

  addFanout(fanout: Fanout): void {
    this.fanouts.push(fanout);
  }

  start(): void {
    this.tickTimer = setInterval(() => this.flush(), this.options.tickMs);
    this.presenceTimer = setInterval(() => void this.reportPresence(), this.options.presenceIntervalMs);
  }

  /** A local socket joined: the first one subscribes this node to the room's bus channel. */
  async enterRoom(room: string): Promise<void> {
    let local = this.rooms.get(room);
    if (!local) {
      this.leftRooms.delete(room);
      local = { members: 0, subscribed: this.engine.broker.subscribeRoom(room), online: 0 };
      this.rooms.set(room, local);
    }
    local.members++;
    await local.subscribed;
  }

  leaveRoom(room: string): void {
    const local = this.rooms.get(room);
    if (!local || --local.members > 0) return;
    this.rooms.delete(room);
    this.leftRooms.add(room);
    this.outbox.forget(room);
    this.received.delete(room);
    this.engine.broker.unsubscribeRoom(room).catch((err) => this.log.warn({ err, room }, 'unsubscribe failed'));
  }

  /** A local session of `uid` opened: the first one subscribes this node to the user's bus channel. */
  async enterUser(uid: string, session: Member): Promise<void> {
    let user = this.users.get(uid);
    if (!user) this.users.set(uid, (user = { sessions: new Set(), subscribed: this.engine.broker.subscribeUser(uid) }));
    user.sessions.add(session);
    await user.subscribed;
  }

  leaveUser(uid: string, session: Member): void {
    const user = this.users.get(uid);
    if (!user) return;
    user.sessions.delete(session);
    if (user.sessions.size > 0) return;
    this.users.delete(uid);
    this.engine.broker.unsubscribeUser(uid).catch((err) => this.log.warn({ err, uid }, 'unsubscribe failed'));
  }

  /** A personal event for `uid`'s sockets on this node only (what this node computed for them: a host's live figures). */
  deliverToUser(uid: string, event: RoomEvent): void {
    this.outbox.addUserEvent(uid, event);
  }

  /** Likes are summed per room and written once per tick, whatever the tap rate. */
  addLikes(room: string, n: number): void {
    this.likes.set(room, (this.likes.get(room) ?? 0) + n);
  }

  /** Best local knowledge of the room's online total (refreshed every presence interval). */
  online(room: string): number {
    const local = this.rooms.get(room);
    return local ? Math.max(local.online, local.members) : 0;
  }

  noteSeq(room: string, seq: number): void {
    this.outbox.noteSeq(room, seq);
  }

  seq(room: string): number {
    return this.outbox.seq(room);
  }

  /** Whether the next tick has frames to send: replies held until then ride with them. */
  framesDue(): boolean {
    return this.outbox.pending();
  }

  flush(): void {
    const started = performance.now();
    this.writeLikes();
    for (const fanout of this.fanouts) fanout.flushReplies();
    for (const [topic, frame] of this.outbox.drain()) {
      if (frame.t === 'batch' && frame.dropped) {
        for (const [type, n] of Object.entries(frame.dropped)) this.metrics.chatterDropped.inc({ type }, n);
      }
      const size = frame.events.length + (frame.t === 'batch' ? Object.keys(frame.state).length : 0);
      let delivered = 0;
      for (const fanout of this.fanouts) delivered += fanout.publish(topic, frame);
      if (delivered) this.metrics.eventsOut.inc(size * delivered);
    }
    this.metrics.tickDuration.observe((performance.now() - started) / 1000);
  }

  /** Final flush and a last presence report of zero, so other nodes stop counting us at once. */
  async stop(): Promise<void> {
    clearInterval(this.tickTimer);
    clearInterval(this.presenceTimer);
    this.flush();
    const zeros = new Map([...this.rooms.keys(), ...this.leftRooms].map((room) => [room, 0]));
    if (zeros.size) await this.engine.presence.report(this.options.nodeId, zeros, this.options.presenceTtlMs).catch(() => {});
  }

  private receive(message: BusMessage): void {
    switch (message.k) {
      case 'event':
        this.addEvent(message.room, message.topics, message.event);
        break;
      case 'state':
        this.outbox.setState(message.room, message.key, message.value);
        break;
      case 'chatter':
        this.outbox.addChatter(message.room, message.event);
        break;
      case 'user':
        this.outbox.addUserEvent(message.uid, message.event);
        // An eviction (a ban): the user's sessions here leave the room; the event tells them why.
        if (message.evict) for (const session of this.users.get(message.uid)?.sessions ?? []) session.leaveRoom(message.evict);
        break;
    }
  }

  /** An event for the room's topics, unless this node has had it already (a reconnect's catch-up raced its live copy). */
  private addEvent(room: string, topics: readonly string[], event: RoomEvent): void {
    if (event.seq !== undefined) {
      if (event.seq <= (this.received.get(room) ?? 0)) return;
      this.received.set(room, event.seq);
    }
    for (const topic of topics) this.outbox.addEvent(room, topic, event);
  }

  /**
   * The bus came back after a disconnect: for every room with viewers here, the critical events
   * published meanwhile are read from history and delivered in order, and the state is read again
   * (the outbox sends only what changed). Chatter and personal events of that gap are not kept
   * anywhere and stay lost; a room whose gap is past its history gets its state, and its viewers
   * see the seq jump and resume.
   */
  private async catchUp(): Promise<void> {
    this.metrics.busReconnects.inc();
    await Promise.all([...this.rooms.keys()].map(async (room) => {
      try {
        const after = this.received.get(room) ?? this.outbox.seq(room);
        const [history, state] = await Promise.all([this.engine.broker.history(room, after), this.engine.broker.roomState(room)]);
        if (!this.rooms.has(room)) return;
        if (history.events === null) this.log.warn({ room, after, seq: history.seq }, 'bus reconnect: the gap is past the room history');
        for (const { topics, ...event } of history.events ?? []) this.addEvent(room, topics, event);
        for (const [key, value] of Object.entries(state)) this.outbox.setState(room, key, value);
      } catch (err) {
        this.log.warn({ err, room }, 'bus reconnect: catch-up failed');
      }
    }));
  }

  private writeLikes(): void {
    for (const [room, n] of this.likes) {
      this.engine.broker.incrementState(room, 'likes', n).catch((err) => this.log.warn({ err, room }, 'likes not written'));
    }
    this.likes.clear();
  }

  private async reportPresence(): Promise<void> {
    const counts = new Map<string, number>();
    for (const [room, local] of this.rooms) counts.set(room, local.members);
    for (const room of this.leftRooms) counts.set(room, 0);
    this.leftRooms.clear();
    if (!counts.size) return;
    try {
      const totals = await this.engine.presence.report(this.options.nodeId, counts, this.options.presenceTtlMs);
      for (const [room, total] of totals) {
        const local = this.rooms.get(room);
        if (!local || local.online === total) continue;
        local.online = total;
        this.outbox.setState(room, 'online', total);
      }
    } catch (err) {
      this.log.warn({ err }, 'presence report failed');
    }
  }
}
