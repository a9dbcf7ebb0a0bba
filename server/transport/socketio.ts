import type { TemplatedApp } from 'uWebSockets.js';
import { Server, type Socket } from 'socket.io';
import { verifyToken } from '../auth/token.ts';
import type { Fanout } from '../core/hub.ts';
import type { Connection, OpResult } from '../core/session.ts';
import { CloseCode, type RoomcastError } from '../protocol/errors.ts';
import type { Identity, ServerFrame } from '../protocol/frames.ts';
import type { BufferedSocket, SocketSource } from './slow-consumers.ts';
import type { Transport, TransportContext } from './transport.ts';

interface SocketData {
  identity: Identity;
  /** What the slow-consumer sweep reads and closes, made once at connection. */
  sweep: BufferedSocket;
}

/** The uWS socket under a socket.io connection on the websocket transport (engine.io's uws transport). */
interface UwsUnder {
  getBufferedAmount(): number;
  close(): void;
}

/**
 * socket.io on the same uWS app (`io.attachApp`), for teams that already use socket.io clients:
 * the same ops as events with acknowledgements, the same `batch` and `user` frames as events.
 * A single-room broadcast goes through uWS publish here too, encoded once by socket.io.
 */
export class SocketIoTransport implements Transport, Fanout, SocketSource {
  readonly io: Server;

  constructor(app: TemplatedApp, private readonly ctx: TransportContext) {
    const { realtime } = ctx.config;
    this.io = new Server({
      path: '/socket.io/',
      maxHttpBufferSize: realtime.maxPayloadBytes,
      pingInterval: Math.max(5, realtime.idleTimeoutSec / 2) * 1000,
      cors: { origin: true },
    });
    // Same bound as the native transport: uWS closes a socket.io socket past maxBackpressure too,
    // where it would otherwise skip publishes to it silently (engine.io's app.ws options have no
    // closeOnBackpressureLimit, so it is added to the behavior it registers); the sweep gets there
    // first, at half, with a clear 4008.
    const register = app.ws.bind(app);
    app.ws = ((pattern: string, behavior: object) => register(pattern, { ...behavior, closeOnBackpressureLimit: 1 })) as typeof app.ws;
    // engine.io's uServer reads maxBackpressure from these options; socket.io's types do not list it.
    this.io.attachApp(app, { maxBackpressure: realtime.maxBackpressureBytes } as Parameters<Server['attachApp']>[1]);
    app.ws = register;
    this.io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      try {
        (socket.data as SocketData).identity = verifyToken(typeof token === 'string' ? token : undefined, ctx.jwtKey, realtime.maxTags);
      } catch (err) {
        const refused = err as RoomcastError;
        next(Object.assign(new Error(refused.message), { data: { code: refused.code ?? 'unauthorized' } }));
        return;
      }
      next();
    });
    this.io.on('connection', (socket) => {
      (socket.data as SocketData).sweep = sweepable(socket);
      ctx.metrics.connections.inc({ transport: 'socket.io' });
      const session = ctx.openSession(connection(socket));
      session.open().catch((err) => ctx.log.warn({ err }, 'user subscription failed'));
      socket.onAny((op: string, ...args: unknown[]) => {
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (last as (r: OpResult) => void) : () => {};
        const body = typeof args[0] === 'function' ? undefined : args[0];
        const raw = body === undefined ? { op } : isRecord(body) ? { ...body, op } : body;
        session.handle(raw, ack);
      });
      socket.on('disconnect', () => {
        ctx.metrics.connections.dec({ transport: 'socket.io' });
        session.closedByPeer();
      });
    });
  }

  publish(topic: string, frame: ServerFrame): number {
    const subscribers = this.io.sockets.adapter.rooms.get(topic)?.size ?? 0;
    if (!subscribers) return 0;
    this.io.to(topic).emit(frame.t, frame);
    this.ctx.metrics.framesOut.inc({ transport: 'socket.io' }, subscribers);
    return subscribers;
  }

  /** For the slow-consumer sweep (slow-consumers.ts): the connected sockets. */
  *sockets(): Iterable<BufferedSocket> {
    for (const socket of this.io.sockets.sockets.values()) {
      const sweep = (socket.data as Partial<SocketData>).sweep;
      if (sweep && socket.connected) yield sweep;
    }
  }

  /** socket.io answers through acknowledgements, at once: nothing is held. */
  flushReplies(): void {}

  async closeAll(): Promise<void> {
    this.io.disconnectSockets(true);
    this.io.engine?.close();
  }
}

/**
 * A socket.io socket for the sweep: on websocket, the uWS socket's own buffer; on HTTP long-polling,
 * what engine.io holds for the next poll.
 */
function sweepable(socket: Socket): BufferedSocket {
  const uws = () => {
    const transport = socket.conn.transport as unknown as { name: string; socket?: UwsUnder };
    return transport.name === 'websocket' ? transport.socket : undefined;
  };
  return {
    buffered: () => uws()?.getBufferedAmount() ?? pollBytes(socket),
    closeSlow: () => closeWith(socket, CloseCode.slowConsumer, 'slow consumer'),
    drop: () => {
      const under = uws();
      if (under) under.close();
      else socket.disconnect(true);
    },
  };
}

function pollBytes(socket: Socket): number {
  let bytes = 0;
  for (const packet of (socket.conn as unknown as { writeBuffer: Array<{ data?: string | Uint8Array }> }).writeBuffer) {
    bytes += typeof packet.data === 'string' ? packet.data.length : (packet.data?.byteLength ?? 0);
  }
  return bytes;
}

/** What a native client gets as a close frame, a socket.io client gets as `closing` before the disconnect. */
function closeWith(socket: Socket, code: number, reason: string): void {
  socket.emit('closing', { code, reason });
  socket.disconnect(true);
}

function connection(socket: Socket): Connection {
  return {
    transport: 'socket.io',
    identity: (socket.data as SocketData).identity,
    subscribe: (topic) => void socket.join(topic),
    unsubscribe: (topic) => void socket.leave(topic),
    send: (frame) => void socket.emit('reply', frame),
    close: (code, reason) => closeWith(socket, code, reason),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
