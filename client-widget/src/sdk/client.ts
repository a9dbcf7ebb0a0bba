import { decode, encode } from './msgpack.ts';
import { Connection, State } from './connection.ts';
import { RoomcastError } from './errors.ts';
import { Listeners, type EventMap, type Listener, type RoomEvent } from './events.ts';
import { RoomOps } from './ops.ts';
import { Requests, type Reply } from './requests.ts';
import { RoomViews, type RoomView } from './room-view.ts';
import { browserPlatform, type Platform } from './platform.ts';
import { RequestIds } from './request-ids.ts';
import type { SocketFactory } from './socket.ts';

export interface ClientOptions {
  /** `ws(s)://host:port/v1/ws` */
  url: string;
  /** The viewer's JWT, or a function asked again before every reconnect (tokens expire). */
  token: string | (() => string | Promise<string>);
  /** Where the client runs: `browserPlatform()` (the default), or `wxPlatform(wx)` in a mini-program. */
  platform?: Platform;
  /** The platform's socket, replaced (tests, other WebSocket implementations). */
  socket?: SocketFactory;
  /** First reconnect pause and the longest one; each failure doubles it, with jitter. */
  backoff?: { baseMs: number; maxMs: number };
  /** An op without an answer this long (including time spent reconnecting) fails with `timeout`. */
  requestTimeoutMs?: number;
}

/**
 * A Roomcast viewer (or host) connection over the native msgpack WebSocket. Ops are promises;
 * commerce ops get a `requestId` generated here and, when the connection drops before the answer,
 * are sent again with the same one after reconnecting, so a tap is never made twice. Joined rooms are
 * joined again with `resume` from the last seq seen; events arrive once each, in seq order.
 *
 * It puts together the connection's state machine (connection.ts), request matching (requests.ts),
 * the rooms it is in (room-view.ts) and the typed ops (ops.ts).
 */
export class RoomcastClient extends RoomOps {
  private readonly listeners = new Listeners();
  private readonly views = new RoomViews((op, args) => this.request(op, args), (event) => this.listeners.emit(event));
  readonly rooms: Map<string, RoomView> = this.views.rooms;
  private readonly connection: Connection;
  private readonly requests: Requests;
  private readonly platform: Platform;
  private readonly ownSocket: boolean;
  private readonly ids: RequestIds;
  /** `close()` calls so far: a connect() that a close() overtook must not open a socket after it. */
  private closes = 0;

  constructor(options: ClientOptions) {
    super();
    const platform = options.platform ?? browserPlatform();
    const { url, token, socket, backoff, requestTimeoutMs } = { socket: platform.socket, backoff: { baseMs: 300, maxMs: 10_000 }, requestTimeoutMs: 15_000, ...options };
    this.platform = platform;
    this.ownSocket = options.socket !== undefined;
    this.ids = new RequestIds(platform.randomBytes(9));
    this.requests = new Requests((frame) => this.sendFrame(frame), requestTimeoutMs);
    this.connection = new Connection({ url, token, socket, backoff, platform }, {
      rejoin: () => this.views.rejoin(),
      resend: () => this.requests.resendUnsent(),
      received: (bytes) => this.received(bytes),
      dropped: () => this.requests.dropped(),
    });
  }

  get state(): State {
    return this.connection.state;
  }

  /**
   * Resolves once the socket is open (rejects only after `close()`). A runtime that lacks what the
   * SDK needs (an old mini-program base library) is refused here, with what is missing.
   */
  async connect(): Promise<void> {
    this.platform.check({ socket: !this.ownSocket });
    const closes = this.closes;
    await this.ids.ready;
    if (closes !== this.closes) throw new RoomcastError('disconnected', 'closed before it connected');
    return this.connection.connect();
  }

  close(): void {
    this.closes++;
    this.connection.close();
    this.requests.rejectAll();
  }

  onState(listener: (state: State) => void): () => void {
    return this.connection.onState(listener);
  }

  /** `type` is an event type (`flash.started`), `state` for state changes, or `*` for everything. */
  on<K extends keyof EventMap>(type: K, listener: (event: RoomEvent<EventMap[K]>) => void): () => void;
  on(type: string, listener: (event: RoomEvent) => void): () => void;
  on(type: string, listener: (event: RoomEvent<never>) => void): () => void {
    return this.listeners.on(type, listener as Listener);
  }

  view(room: string): RoomView {
    return this.views.view(room);
  }

  join(room: string): Promise<RoomView> {
    return this.views.join(room);
  }

  leave(room: string): Promise<unknown> {
    return this.views.leave(room);
  }

  /** Fire and forget: likes get no reply, the server sums them into `state.likes`. */
  like(room: string, n = 1): void {
    this.sendFrame({ op: 'like', room, n });
  }

  /** Any op; answers its `data` or rejects with the server's code. */
  override request(op: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const { state, live } = this.connection;
    if (state === State.Closed) return Promise.reject(new RoomcastError('disconnected', `${op}: the client is closed; call connect() first`));
    // Joins go out as soon as the socket is up (rejoining is how it becomes Open); the rest wait for Open.
    return this.requests.add(op, args, live && (state === State.Open || op === 'join'));
  }

  protected requestId(): string {
    return this.ids.id();
  }

  private sendFrame(frame: Record<string, unknown>): void {
    this.connection.send(encode(frame));
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
      this.listeners.emit({ type: 'error', data: { code: 'malformed_frame', message: `a ${bytes.length}-byte frame did not decode; dropped` }, ts: Date.now() });
      return;
    }
    if (typeof frame.re === 'number') return this.requests.answered(frame as unknown as Reply);
    if (frame.t === 'batch') return this.views.batch(frame as { room: string; events?: RoomEvent[]; state?: Record<string, unknown> });
    if (frame.t === 'user' && Array.isArray(frame.events)) for (const event of frame.events as RoomEvent[]) this.listeners.emit(event);
  }
}
