import { decode, encode } from '../../../server/protocol/codec.ts';
import type { ErrorCode } from '../../../server/protocol/errors.ts';
import { RoomcastError } from './errors.ts';
import type { EventPayloads } from '../../../server/protocol/events.ts';
import type { RoomEvent as ProtocolEvent } from '../../../server/protocol/frames.ts';
import { RoomOps } from './ops.ts';
import { browserSocket, type SocketFactory, type SocketLike } from './socket.ts';

export enum State {
  Connecting = 'connecting',
  Open = 'open',
  /** Lost the connection; trying again after a jittered, growing pause. */
  Reconnecting = 'reconnecting',
  /** The device says it has no network: waiting for it to come back. */
  Offline = 'offline',
  Closed = 'closed',
}

/** An event as listeners get it: the protocol's, with the room it came from. */
export interface RoomEvent<T = unknown> extends ProtocolEvent<T> {
  /** The room it came from; absent for personal events. */
  room?: string;
}

/** What a room looks like to this client: last value per state key, critical events in seq order. */
export interface RoomView {
  seq: number;
  state: Record<string, unknown>;
  events: RoomEvent[];
  snapshot: Record<string, unknown> | undefined;
}

export interface ClientOptions {
  /** `ws(s)://host:port/v1/ws` */
  url: string;
  /** The viewer's JWT, or a function asked again before every reconnect (tokens expire). */
  token: string | (() => string | Promise<string>);
  socket?: SocketFactory;
  /** First reconnect pause and the longest one; each failure doubles it, with jitter. */
  backoff?: { baseMs: number; maxMs: number };
  /** An op without an answer this long (including time spent reconnecting) fails with `timeout`. */
  requestTimeoutMs?: number;
}

/**
 * What each event type carries: the server's events (PROTOCOL.md, "Events and state keys") and the
 * client's own; other types are `unknown`.
 */
export interface EventMap extends EventPayloads {
  /** A `join` was answered (again after each reconnect): the room's snapshot. */
  'room.joined': Record<string, unknown>;
  /** A state key changed: `online`, `likes`, `flash:{sale}:left`, `group:{id}`, ... */
  state: { key: string; value: unknown };
  /** Something the client dropped (a frame that did not decode); never thrown. */
  error: { code: string; message: string };
}

type Listener = (event: RoomEvent) => void;

interface Pending {
  frame: Record<string, unknown>;
  resolve: (data: unknown) => void;
  reject: (err: RoomcastError) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

const EVENT_HISTORY = 200;

/**
 * A Roomcast viewer (or host) connection over the native msgpack WebSocket. Ops are promises;
 * commerce ops get a `requestId` generated here and, when the connection drops before the answer,
 * are sent again with the same one after reconnecting, so a tap is never made twice. Joined rooms are
 * joined again with `resume` from the last seq seen; events arrive once each, in seq order.
 */
export class RoomcastClient extends RoomOps {
  state: State = State.Closed;
  readonly rooms = new Map<string, RoomView>();
  private socket: SocketLike | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: State) => void>();
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private closedByUs = false;
  /** The socket is open (the client may still be rejoining its rooms). */
  private live = false;
  private readonly options: Required<Omit<ClientOptions, 'token'>> & Pick<ClientOptions, 'token'>;

  constructor(options: ClientOptions) {
    super();
    this.options = { socket: browserSocket, backoff: { baseMs: 300, maxMs: 10_000 }, requestTimeoutMs: 15_000, ...options };
    const win = globalThis as { addEventListener?: (type: string, cb: () => void) => void; navigator?: { onLine?: boolean } };
    win.addEventListener?.('offline', () => this.setState(State.Offline));
    win.addEventListener?.('online', () => {
      if (this.state === State.Offline) this.reconnectNow();
    });
  }

  /** Resolves once the socket is open (rejects only after `close()`). */
  connect(): Promise<void> {
    this.closedByUs = false;
    return new Promise((resolve, reject) => {
      const watch = (state: State) => {
        if (state === State.Open) resolve();
        else if (state === State.Closed) reject(new RoomcastError('disconnected', 'closed'));
        else return;
        this.stateListeners.delete(watch);
      };
      this.stateListeners.add(watch);
      void this.open();
    });
  }

  close(): void {
    this.closedByUs = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'bye');
    this.setState(State.Closed);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RoomcastError('disconnected', 'the client was closed'));
      this.pending.delete(id);
    }
  }

  onState(listener: (state: State) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** `type` is an event type (`flash.started`), `state` for state changes, or `*` for everything. */
  on<K extends keyof EventMap>(type: K, listener: (event: RoomEvent<EventMap[K]>) => void): () => void;
  on(type: string, listener: (event: RoomEvent) => void): () => void;
  on(type: string, listener: (event: RoomEvent<never>) => void): () => void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener as Listener);
    return () => this.listeners.get(type)?.delete(listener as Listener);
  }

  view(room: string): RoomView {
    let view = this.rooms.get(room);
    if (!view) this.rooms.set(room, (view = { seq: 0, state: {}, events: [], snapshot: undefined }));
    return view;
  }

  async join(room: string): Promise<RoomView> {
    const view = this.view(room);
    const data = (await this.request('join', { room, ...(view.seq ? { resume: view.seq } : {}) })) as { snapshot: Record<string, unknown>; seq: number; missed?: RoomEvent[] };
    this.applyJoin(room, data);
    return view;
  }

  leave(room: string): Promise<unknown> {
    this.rooms.delete(room);
    return this.request('leave', { room });
  }

  /** Fire and forget: likes get no reply, the server sums them into `state.likes`. */
  like(room: string, n = 1): void {
    this.sendFrame({ op: 'like', room, n });
  }

  /** Any op; answers its `data` or rejects with the server's code. */
  override request(op: string, args: Record<string, unknown> = {}): Promise<unknown> {
    if (this.state === State.Closed) return Promise.reject(new RoomcastError('disconnected', `${op}: the client is closed; call connect() first`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RoomcastError('timeout', `${op}: no answer`));
      }, this.options.requestTimeoutMs);
      const pending: Pending = { frame: { id, op, ...args }, resolve, reject, timer, sent: false };
      this.pending.set(id, pending);
      // Joins go out as soon as the socket is up (rejoining is how it becomes Open); the rest wait for Open.
      if (this.live && (this.state === State.Open || op === 'join')) this.sendPending(pending);
    });
  }

  private async open(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.setState(this.attempt ? State.Reconnecting : State.Connecting);
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (this.closedByUs) return;
    const url = `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    const socket = this.options.socket(url);
    this.socket = socket;
    socket.onopen = () => void this.opened();
    socket.onmessage = (bytes) => this.received(bytes);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.live = false;
      for (const p of this.pending.values()) p.sent = false;
      if (this.closedByUs) return;
      this.scheduleReconnect();
    };
  }

  /**
   * Rooms are joined again (with `resume`) before anything else is sent, so an op waiting from before
   * the drop (a buy, with its original requestId) reaches the server as a member of its room.
   */
  private async opened(): Promise<void> {
    this.attempt = 0;
    this.live = true;
    await Promise.all([...this.rooms.keys()].map((room) => this.join(room).catch(() => undefined)));
    if (!this.live) return;
    for (const p of [...this.pending.values()]) if (!p.sent) this.sendPending(p);
    this.setState(State.Open);
  }

  private scheduleReconnect(): void {
    const offline = (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
    if (offline) return this.setState(State.Offline);
    this.setState(State.Reconnecting);
    const { baseMs, maxMs } = this.options.backoff;
    const pause = Math.min(maxMs, baseMs * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => void this.open(), pause);
  }

  private reconnectNow(): void {
    this.attempt = 0;
    if (!this.socket) void this.open();
  }

  private sendPending(p: Pending): void {
    p.sent = true;
    this.sendFrame(p.frame);
  }

  private sendFrame(frame: Record<string, unknown>): void {
    this.socket?.send(encode(frame));
  }

  /**
   * Unknown frame kinds, event types and state keys pass through untouched (newer servers add them);
   * a frame that does not decode is reported once as an `error` event and dropped.
   */
  private received(bytes: Uint8Array): void {
    let frame: Record<string, unknown>;
    try {
      frame = decode(bytes) as Record<string, unknown>;
      if (typeof frame !== 'object' || frame === null) throw new Error('not a map');
    } catch {
      this.emit({ type: 'error', data: { code: 'malformed_frame', message: `a ${bytes.length}-byte frame did not decode; dropped` }, ts: Date.now() });
      return;
    }
    if (typeof frame.re === 'number') return this.answered(frame as { re: number; ok: boolean; data?: unknown; error?: { code: ErrorCode; message: string } });
    if (frame.t === 'batch') return this.batch(frame as { room: string; events?: RoomEvent[]; state?: Record<string, unknown> });
    if (frame.t === 'user' && Array.isArray(frame.events)) for (const event of frame.events as RoomEvent[]) this.emit(event);
  }

  private answered(reply: { re: number; ok: boolean; data?: unknown; error?: { code: ErrorCode; message: string } }): void {
    const p = this.pending.get(reply.re);
    if (!p) return;
    this.pending.delete(reply.re);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.data);
    else p.reject(new RoomcastError(reply.error?.code ?? 'internal', reply.error?.message));
  }

  private applyJoin(room: string, data: { snapshot: Record<string, unknown>; seq: number; missed?: RoomEvent[] }): void {
    const view = this.view(room);
    view.snapshot = data.snapshot;
    for (const [key, value] of Object.entries((data.snapshot.state as Record<string, unknown>) ?? {})) this.setKey(room, view, key, value);
    for (const event of data.missed ?? []) this.critical(room, view, event);
    view.seq = Math.max(view.seq, data.seq);
    this.emit({ type: 'room.joined', data: data.snapshot, ts: Date.now(), room });
  }

  private batch(frame: { room: string; events?: RoomEvent[]; state?: Record<string, unknown> }): void {
    const view = this.view(frame.room);
    for (const [key, value] of Object.entries(frame.state ?? {})) this.setKey(frame.room, view, key, value);
    for (const event of Array.isArray(frame.events) ? frame.events : []) {
      if (event.seq === undefined) this.emit({ ...event, room: frame.room });
      else this.critical(frame.room, view, event);
    }
  }

  /** Critical events once each: a seq already seen (around a resume) is dropped. */
  private critical(room: string, view: RoomView, event: RoomEvent): void {
    if (event.seq! <= view.seq) return;
    view.seq = event.seq!;
    view.events.push({ ...event, room });
    if (view.events.length > EVENT_HISTORY) view.events.shift();
    this.emit({ ...event, room });
  }

  private setKey(room: string, view: RoomView, key: string, value: unknown): void {
    view.state[key] = value;
    this.emit({ type: 'state', data: { key, value }, ts: Date.now(), room });
  }

  private emit(event: RoomEvent): void {
    for (const type of [event.type, '*']) for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  private setState(state: State): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
