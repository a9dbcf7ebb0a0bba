import type { TemplatedApp } from 'uWebSockets.js';
import { Server, type Socket } from 'socket.io';
import { verifyToken } from '../auth/token.ts';
import type { Fanout } from '../core/hub.ts';
import type { Connection, OpResult } from '../core/session.ts';
import type { RoomcastError } from '../protocol/errors.ts';
import type { Identity, ServerFrame } from '../protocol/frames.ts';
import type { Transport, TransportContext } from './transport.ts';

interface SocketData {
  identity: Identity;
}

/**
 * socket.io on the same uWS app (`io.attachApp`), for teams that already use socket.io clients:
 * the same ops as events with acknowledgements, the same `batch` and `user` frames as events.
 * A single-room broadcast goes through uWS publish here too, encoded once by socket.io.
 */
export class SocketIoTransport implements Transport, Fanout {
  readonly io: Server;

  constructor(app: TemplatedApp, private readonly ctx: TransportContext) {
    const { realtime } = ctx.config;
    this.io = new Server({
      path: '/socket.io/',
      maxHttpBufferSize: realtime.maxPayloadBytes,
      pingInterval: Math.max(5, realtime.idleTimeoutSec / 2) * 1000,
      cors: { origin: true },
    });
    this.io.attachApp(app);
    this.io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      verifyToken(typeof token === 'string' ? token : undefined, ctx.jwtKey, realtime.maxTags).then(
        (identity) => {
          (socket.data as SocketData).identity = identity;
          next();
        },
        (err: RoomcastError) => next(Object.assign(new Error(err.message), { data: { code: err.code ?? 'unauthorized' } })),
      );
    });
    this.io.on('connection', (socket) => {
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

  /** socket.io answers through acknowledgements, at once: nothing is held. */
  flushReplies(): void {}

  async closeAll(): Promise<void> {
    this.io.disconnectSockets(true);
    this.io.engine?.close();
  }
}

function connection(socket: Socket): Connection {
  return {
    transport: 'socket.io',
    identity: (socket.data as SocketData).identity,
    subscribe: (topic) => void socket.join(topic),
    unsubscribe: (topic) => void socket.leave(topic),
    send: (frame) => void socket.emit('reply', frame),
    close: (code, reason) => {
      socket.emit('closing', { code, reason });
      socket.disconnect(true);
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
