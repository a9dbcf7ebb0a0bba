import { RoomcastError } from './errors.ts';
import type { Platform } from './platform.ts';
import type { SocketFactory, SocketLike } from './socket.ts';

export enum State {
  Connecting = 'connecting',
  Open = 'open',
  /** Lost the connection; trying again after a jittered, growing pause. */
  Reconnecting = 'reconnecting',
  /** The device says it has no network: waiting for it to come back. */
  Offline = 'offline',
  Closed = 'closed',
}

export interface ConnectionOptions {
  url: string;
  token: string | (() => string | Promise<string>);
  socket: SocketFactory;
  backoff: { baseMs: number; maxMs: number };
  /** Where the network and visibility signals come from. */
  platform: Pick<Platform, 'onNetwork' | 'onVisible'>;
}

/** What the connection asks of the client around it. */
export interface ConnectionHooks {
  /** The socket is up: join the rooms again. The connection is Open once this settles (if still up). */
  rejoin(): Promise<unknown>;
  /** Rooms rejoined, the socket still up: send whatever waited for it. */
  resend(): void;
  received(bytes: Uint8Array): void;
  /** The socket went away (dropped, or closed by us). */
  dropped(): void;
}

/**
 * The connection's state machine: connect, reconnect after a drop with a jittered backoff that
 * doubles per failure, wait while the device says it is offline, and tell state listeners.
 */
export class Connection {
  private current = State.Closed;
  private socket: SocketLike | undefined;
  private readonly stateListeners = new Set<(state: State) => void>();
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private closedByUs = false;
  private up = false;
  private online = true;

  constructor(private readonly options: ConnectionOptions, private readonly hooks: ConnectionHooks) {
    options.platform.onNetwork((online) => {
      this.online = online;
      if (!online && !this.up && this.current !== State.Closed) this.setState(State.Offline);
      if (online && this.current === State.Offline) this.reconnectNow();
    });
    // Shown again after the background (where WeChat suspends the app and may drop its socket):
    // reconnect now rather than after the backoff; a socket that survived stays.
    options.platform.onVisible((visible) => {
      if (visible && !this.up && !this.closedByUs && this.current !== State.Closed) this.reconnectNow();
    });
  }

  get state(): State {
    return this.current;
  }

  /** The socket is open (the client may still be rejoining its rooms). */
  get live(): boolean {
    return this.up;
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
  }

  onState(listener: (state: State) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  send(bytes: Uint8Array): void {
    this.socket?.send(bytes);
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
    socket.onmessage = (bytes) => this.hooks.received(bytes);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.up = false;
      this.hooks.dropped();
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
    this.up = true;
    await this.hooks.rejoin();
    if (!this.up) return;
    this.hooks.resend();
    this.setState(State.Open);
  }

  private scheduleReconnect(): void {
    if (!this.online) return this.setState(State.Offline);
    this.setState(State.Reconnecting);
    const { baseMs, maxMs } = this.options.backoff;
    const pause = Math.min(maxMs, baseMs * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => void this.open(), pause);
  }

  private reconnectNow(): void {
    this.attempt = 0;
    if (!this.socket) void this.open();
  }

  private setState(state: State): void {
    if (this.current === state) return;
    this.current = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
