import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { OpResult } from '../core/session.ts';
import { decode, encode } from '../protocol/codec.ts';
import type { BatchFrame, RoomEvent, ServerFrame } from '../protocol/frames.ts';

export type TransportName = 'ws' | 'socket.io';
export const transports: TransportName[] = ['ws', 'socket.io'];

/** A real client over a real socket, the same shape for both transports, for scenario tests. */
export interface TestClient {
  readonly transport: TransportName;
  readonly frames: ServerFrame[];
  request(op: string, args?: Record<string, unknown>): Promise<OpResult>;
  /** Every event received so far (batch and user frames), in arrival order. */
  events(type?: string): RoomEvent[];
  /** Latest value of each state key across received batch frames. */
  state(): Record<string, unknown>;
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

abstract class BaseClient {
  readonly frames: ServerFrame[] = [];

  events(type?: string): RoomEvent[] {
    const all = this.frames.flatMap((f) => f.events);
    return type ? all.filter((e) => e.type === type) : all;
  }

  state(): Record<string, unknown> {
    return Object.assign({}, ...this.frames.filter((f): f is BatchFrame => f.t === 'batch').map((f) => f.state));
  }

  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    return waitFor(probe, what, timeoutMs);
  }
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export class NativeClient extends BaseClient implements TestClient {
  readonly transport = 'ws';
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private readonly pending = new Map<number, [resolve: (r: OpResult) => void, reject: (err: Error) => void]>();

  private constructor(readonly socket: WebSocket) {
    super();
    socket.on('message', (data: Buffer) => {
      const frame = decode(data) as ServerFrame | ({ re: number } & OpResult);
      if ('re' in frame) {
        const { re, ...result } = frame;
        this.pending.get(re)?.[0](result as OpResult);
        this.pending.delete(re);
      } else {
        this.frames.push(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // A socket that closes never answers: fail what is pending rather than hang the test.
    void this.closed.then(({ code }) => {
      for (const [, reject] of this.pending.values()) reject(new Error(`socket closed (${code}) before the reply`));
      this.pending.clear();
    });
  }

  static connect(wsUrl: string, token: string): Promise<NativeClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/v1/ws?token=${encodeURIComponent(token)}`);
      socket.once('open', () => resolve(new NativeClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      socket.once('error', reject);
    });
  }

  request(op: string, args: Record<string, unknown> = {}): Promise<OpResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, [resolve, reject]);
      this.socket.send(encode({ id, op, ...args }), (err) => err && reject(err));
    });
  }

  /** Raw bytes, for malformed-input tests. */
  sendRaw(bytes: Uint8Array | string): void {
    this.socket.send(bytes);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    await this.closed;
  }
}

export class SocketIoClient extends BaseClient implements TestClient {
  readonly transport = 'socket.io';
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: Socket) {
    super();
    socket.on('batch', (frame: ServerFrame) => this.frames.push(frame));
    socket.on('user', (frame: ServerFrame) => this.frames.push(frame));
    let closing = { code: 1000, reason: '' };
    socket.on('closing', (c: { code: number; reason: string }) => (closing = c));
    this.closed = new Promise((resolve) => socket.on('disconnect', () => resolve(closing)));
  }

  static connect(wsUrl: string, token: string): Promise<SocketIoClient> {
    return new Promise((resolve, reject) => {
      const socket = io(wsUrl.replace(/^ws/, 'http'), { path: '/socket.io/', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      socket.once('connect', () => resolve(new SocketIoClient(socket)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(Object.assign(err, { status: 401 }));
      });
    });
  }

  request(op: string, args: Record<string, unknown> = {}): Promise<OpResult> {
    return this.socket.timeout(5000).emitWithAck(op, args);
  }

  async close(): Promise<void> {
    if (this.socket.connected) this.socket.disconnect();
    await this.closed;
  }
}

export function connect(transport: TransportName, wsUrl: string, token: string): Promise<TestClient> {
  return transport === 'ws' ? NativeClient.connect(wsUrl, token) : SocketIoClient.connect(wsUrl, token);
}
