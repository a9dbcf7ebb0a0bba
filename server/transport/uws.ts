import type uWSTypes from 'uWebSockets.js';
import type { HttpResponse, TemplatedApp, WebSocket } from 'uWebSockets.js';
import { verifyToken } from '../auth/token.ts';
import type { Fanout } from '../core/hub.ts';
import type { Connection, Session } from '../core/session.ts';
import { decode, encode } from '../protocol/codec.ts';
import { CloseCode, RoomcastError } from '../protocol/errors.ts';
import type { Identity, ReplyFrame, ServerFrame } from '../protocol/frames.ts';
import type { BufferedSocket, SocketSource } from './slow-consumers.ts';
import type { Transport, TransportContext } from './transport.ts';

const PAYLOAD_CEILING_FACTOR = 4;

interface SocketData {
  identity: Identity;
  session?: Session;
  closed: boolean;
  /** The socket's own topic, which its replies are published to. */
  replies: string;
  /** What the slow-consumer sweep reads and closes, made once at open. */
  sweep?: BufferedSocket;
}

/**
 * The native transport: binary msgpack frames on `/v1/ws`. Frames for a topic are encoded once and
 * handed to uWS `publish`, which copies them to every subscriber in C++.
 *
 * Replies go out the same way, to a topic each socket has of its own, and are held while the hub
 * has frames waiting for its tick: uWS writes everything published in one turn of the event loop
 * to a socket in one send, so a buyer's answer and the stock it changed cost one write, not two
 * (the write is most of what a tap costs). With no frame due, a reply leaves at the end of the turn.
 */
export class UwsTransport implements Transport, Fanout, SocketSource {
  private readonly live = new Set<WebSocket<SocketData>>();
  /** Replies waiting for the tick (or for the end of this turn), as [socket topic, bytes]. */
  private readonly replies: Array<[string, Uint8Array]> = [];
  private repliesScheduled = false;
  private nextSocket = 0;

  constructor(private readonly uws: typeof uWSTypes, private readonly app: TemplatedApp, private readonly ctx: TransportContext) {
    const { realtime } = ctx.config;
    app.ws<SocketData>('/v1/ws', {
      compression: uws.DISABLED,
      // uWS drops a connection past maxPayloadLength without a close frame, so it gets a hard
      // ceiling above our limit and the limit itself is enforced below, with a proper 1009.
      maxPayloadLength: realtime.maxPayloadBytes * PAYLOAD_CEILING_FACTOR,
      // A socket past the limit is cut by uWS in C++ at once (a bare TCP close, never a gap in its
      // frames); the sweep below usually gets there first, at half the limit, with a clear 4008.
      maxBackpressure: realtime.maxBackpressureBytes,
      closeOnBackpressureLimit: 1,
      idleTimeout: realtime.idleTimeoutSec,
      sendPingsAutomatically: true,
      upgrade: (res, req, context) => {
        // Decided and upgraded right here, with no await: the parser holds the socket corked, and
        // this uWS build's res.cork(() => res.upgrade()) after an await can read the socket's freed
        // HTTP state and kill the new WebSocket (../shared/reference/cold-start-1006.md).
        const token = new URLSearchParams(req.getQuery() ?? '').get('token') ?? bearer(req.getHeader('authorization'));
        let identity: Identity;
        try {
          identity = verifyToken(token, ctx.jwtKey, realtime.maxTags);
        } catch (err) {
          refuse(res, err as RoomcastError);
          return;
        }
        const data: SocketData = { identity, closed: false, replies: `reply:${this.nextSocket++}` };
        res.upgrade<SocketData>(data, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
      },
      open: (ws) => {
        this.live.add(ws);
        ws.getUserData().sweep = {
          buffered: () => ws.getBufferedAmount(),
          closeSlow: () => this.close(ws, CloseCode.slowConsumer, 'slow consumer'),
          drop: () => ws.close(),
        };
        ws.subscribe(ws.getUserData().replies);
        ctx.metrics.connections.inc({ transport: 'ws' });
        const session = ctx.openSession(this.connection(ws));
        ws.getUserData().session = session;
        session.open().catch((err) => ctx.log.warn({ err }, 'user subscription failed'));
      },
      message: (ws, message) => {
        if (message.byteLength > realtime.maxPayloadBytes) {
          ctx.metrics.closes.inc({ reason: 'too_large' });
          this.close(ws, CloseCode.tooLarge, `frame over ${realtime.maxPayloadBytes} bytes`);
          return;
        }
        let frame: unknown;
        try {
          frame = decode(new Uint8Array(message));
        } catch {
          this.close(ws, CloseCode.unparsable, 'malformed msgpack');
          return;
        }
        ws.getUserData().session?.handle(frame);
      },
      close: (ws, _code, message) => {
        const data = ws.getUserData();
        data.closed = true;
        this.live.delete(ws);
        ctx.metrics.connections.dec({ transport: 'ws' });
        if (Buffer.from(message).toString().includes('too big')) ctx.metrics.closes.inc({ reason: 'too_large' });
        data.session?.closedByPeer();
      },
    });
  }

  /** For the slow-consumer sweep (slow-consumers.ts): the open sockets. */
  *sockets(): Iterable<BufferedSocket> {
    for (const ws of this.live) {
      const data = ws.getUserData();
      if (!data.closed) yield data.sweep!;
    }
  }

  publish(topic: string, frame: ServerFrame): number {
    const subscribers = this.app.numSubscribers(topic);
    if (!subscribers) return 0;
    const bytes = encode(frame);
    this.app.publish(topic, bytes, true, false);
    this.ctx.metrics.framesOut.inc({ transport: 'ws' }, subscribers);
    this.ctx.metrics.bytesOut.inc({ transport: 'ws' }, subscribers * bytes.length);
    return subscribers;
  }

  flushReplies(): void {
    for (const [topic, bytes] of this.replies) this.app.publish(topic, bytes, true, false);
    this.replies.length = 0;
  }

  private hold(topic: string, bytes: Uint8Array): void {
    this.replies.push([topic, bytes]);
    if (this.repliesScheduled) return;
    this.repliesScheduled = true;
    setImmediate(() => {
      this.repliesScheduled = false;
      if (!this.ctx.framesDue()) this.flushReplies();
    });
  }

  async closeAll(code: number, reason: string): Promise<void> {
    for (const ws of [...this.live]) this.close(ws, code, reason);
  }

  private connection(ws: WebSocket<SocketData>): Connection {
    const data = ws.getUserData();
    return {
      transport: 'ws',
      identity: data.identity,
      subscribe: (topic) => !data.closed && ws.subscribe(topic),
      unsubscribe: (topic) => !data.closed && ws.unsubscribe(topic),
      send: (frame: ReplyFrame) => {
        if (!data.closed) this.hold(data.replies, encode(frame));
      },
      close: (code, reason) => this.close(ws, code, reason),
    };
  }

  private close(ws: WebSocket<SocketData>, code: number, reason: string): void {
    if (!ws.getUserData().closed) ws.end(code, reason);
  }
}

function bearer(header: string): string | undefined {
  return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function refuse(res: HttpResponse, err: RoomcastError): void {
  const error = err instanceof RoomcastError ? err : new RoomcastError('unauthorized', 'invalid token');
  res.writeStatus('401 Unauthorized').writeHeader('content-type', 'application/json').end(JSON.stringify({ error }));
}
