import type uWSTypes from 'uWebSockets.js';
import type { HttpResponse, TemplatedApp, WebSocket } from 'uWebSockets.js';
import { verifyToken } from '../auth/token.ts';
import type { Fanout } from '../core/hub.ts';
import type { Connection, Session } from '../core/session.ts';
import { decode, encode } from '../protocol/codec.ts';
import { CloseCode, RoomcastError } from '../protocol/errors.ts';
import type { Identity, ReplyFrame, ServerFrame } from '../protocol/frames.ts';
import type { Transport, TransportContext } from './transport.ts';

const PAYLOAD_CEILING_FACTOR = 4;
const SLOW_CONSUMER_SWEEP_MS = 250;

interface SocketData {
  identity: Identity;
  session?: Session;
  closed: boolean;
  /** The socket's own topic, which its replies are published to. */
  replies: string;
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
export class UwsTransport implements Transport, Fanout {
  private readonly sockets = new Set<WebSocket<SocketData>>();
  private readonly sweep: NodeJS.Timeout;
  /** The last sweep found the node over its send-buffer budget. */
  private overBudget = false;
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
        // Everything from req must be read before the first await.
        const token = new URLSearchParams(req.getQuery() ?? '').get('token') ?? bearer(req.getHeader('authorization'));
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        let aborted = false;
        res.onAborted(() => (aborted = true));
        verifyToken(token, ctx.jwtKey, realtime.maxTags).then(
          (identity) => {
            if (!aborted) res.cork(() => res.upgrade<SocketData>({ identity, closed: false, replies: `reply:${this.nextSocket++}` }, key, protocol, extensions, context));
          },
          (err: RoomcastError) => {
            if (!aborted) res.cork(() => refuse(res, err));
          },
        );
      },
      open: (ws) => {
        this.sockets.add(ws);
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
        this.sockets.delete(ws);
        ctx.metrics.connections.dec({ transport: 'ws' });
        if (Buffer.from(message).toString().includes('too big')) ctx.metrics.closes.inc({ reason: 'too_large' });
        data.session?.closedByPeer();
      },
    });
    this.sweep = setInterval(() => this.closeSlowConsumers(), SLOW_CONSUMER_SWEEP_MS);
    this.sweep.unref();
  }

  /**
   * Slow consumers: a few times a second, close sockets whose send buffer is past half the limit,
   * with 4008 (queued after what they have yet to read) so the client reconnects and resumes.
   * The per-socket limit alone lets a node hold sockets × limit when a whole room falls behind (a
   * burst of large frames), and a graceful close keeps a socket's buffer until its peer reads it.
   * So past `maxBufferedTotalBytes` for the node, the sockets furthest behind are dropped (no
   * close frame, the client sees 1006 and resumes), which frees their buffers now, until the rest
   * fit. Only when the node was over budget at the sweep before too: a frame just published to
   * a room sits in every subscriber's buffer, readers' included, until the loop gets to write it, so
   * one look cannot tell who is behind; 250 ms later the readers have drained. One native read per
   * socket, not a send loop.
   */
  private closeSlowConsumers(): void {
    const { maxBackpressureBytes, maxBufferedTotalBytes } = this.ctx.config.realtime;
    let total = 0;
    for (const ws of this.sockets) {
      if (ws.getUserData().closed) continue;
      const buffered = ws.getBufferedAmount();
      if (buffered > maxBackpressureBytes / 2) {
        this.ctx.metrics.closes.inc({ reason: 'slow_consumer' });
        this.close(ws, CloseCode.slowConsumer, 'slow consumer');
      } else {
        total += buffered;
      }
    }
    const over = total > maxBufferedTotalBytes;
    if (over && this.overBudget) this.dropFurthestBehind(total - maxBufferedTotalBytes);
    this.overBudget = over;
  }

  /** The node is over its budget by `excess` bytes: the sockets furthest behind go first. */
  private dropFurthestBehind(excess: number): void {
    const behind = [...this.sockets]
      .filter((ws) => !ws.getUserData().closed)
      .map((ws) => ({ ws, buffered: ws.getBufferedAmount() }))
      .sort((a, b) => b.buffered - a.buffered);
    for (let i = 0; i < behind.length && excess > 0; i++) {
      this.ctx.metrics.closes.inc({ reason: 'over_budget' });
      behind[i]!.ws.close();
      excess -= behind[i]!.buffered;
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
    clearInterval(this.sweep);
    for (const ws of [...this.sockets]) this.close(ws, code, reason);
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
