import type { Config } from '../config/schema.ts';
import type { Engine } from '../platform/engine.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';
import { CloseCode, RoomcastError, toRoomcastError } from '../protocol/errors.ts';
import type { Identity, ReplyFrame } from '../protocol/frames.ts';
import { parseClientFrame, type OpName } from '../protocol/ops.ts';
import type { Hub } from './hub.ts';
import { TokenBucket } from './token-bucket.ts';
import { memberTopics, userTopic } from './topics.ts';

/** What a transport provides for one client; the core never knows which transport it is. */
export interface Connection {
  readonly transport: 'ws' | 'socket.io';
  readonly identity: Identity;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** Native replies; socket.io answers through acknowledgements instead. */
  send(frame: ReplyFrame): void;
  close(code: number, reason: string): void;
}

export type OpResult = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

export type OpHandler = (session: Session, op: never) => Promise<unknown>;

/** What sessions share on this node, and the op handlers (each tool's ops.ts, wired in domains.ts) they dispatch to. */
export interface CoreContext {
  handlers: Record<OpName, OpHandler>;
  config: Config;
  engine: Engine;
  hub: Hub;
  metrics: Metrics;
  log: Logger;
}

/** One client's life on this node: its rooms, its rate limits, and its ops. */
export class Session {
  readonly rooms = new Set<string>();
  private readonly opsBucket: TokenBucket;
  private readonly commentsBucket: TokenBucket;
  private refusedInARow = 0;
  private closed = false;

  constructor(readonly connection: Connection, readonly ctx: CoreContext) {
    const limits = ctx.config.realtime.rateLimit;
    this.opsBucket = new TokenBucket(limits.opsPerSec, limits.opsBurst);
    this.commentsBucket = new TokenBucket(limits.commentsPerSec, limits.commentsBurst);
  }

  get identity(): Identity {
    return this.connection.identity;
  }

  /** Until its socket goes away. */
  get isOpen(): boolean {
    return !this.closed;
  }

  async open(): Promise<void> {
    this.connection.subscribe(userTopic(this.identity.sub));
    await this.ctx.hub.enterUser(this.identity.sub, this);
  }

  /** One decoded client frame. `ack` is socket.io's acknowledgement; native replies carry `re`. */
  handle(raw: unknown, ack?: (result: OpResult) => void): void {
    const started = performance.now();
    let id: number | undefined;
    let opName = 'invalid';
    const respond = (result: OpResult) => {
      this.ctx.metrics.observeOp(opName, result.ok ? 'ok' : result.error.code, (performance.now() - started) / 1000);
      if (result.ok) this.refusedInARow = 0;
      if (this.closed) return;
      if (ack) ack(result);
      else if (id !== undefined) this.connection.send({ re: id, ...result } as ReplyFrame);
    };
    try {
      id = readId(raw);
      if (!this.opsBucket.take()) throw new RoomcastError('rate_limited', 'too many ops; slow down');
      const { op } = parseClientFrame(raw);
      opName = op.op;
      if (op.op === 'comment' && !this.commentsBucket.take()) throw new RoomcastError('rate_limited', 'too many comments; slow down');
      const handler = this.ctx.handlers[op.op] as (session: Session, op: unknown) => Promise<unknown>;
      handler(this, op).then(
        (data) => respond(data === undefined ? { ok: true } : { ok: true, data }),
        (err) => respond(this.refusal(err)),
      );
    } catch (err) {
      respond(this.refusal(err));
    }
  }

  /** The socket went away: leave everything this session held. */
  closedByPeer(): void {
    this.closed = true;
    for (const room of this.rooms) this.ctx.hub.leaveRoom(room);
    this.rooms.clear();
    this.ctx.hub.leaveUser(this.identity.sub, this);
  }

  /** Leaves a room (the `leave` op, or a ban on any node): its topics unsubscribed, nothing more of it arrives. */
  leaveRoom(room: string): void {
    if (!this.rooms.delete(room)) return;
    for (const topic of this.topicsIn(room)) this.connection.unsubscribe(topic);
    this.ctx.hub.leaveRoom(room);
  }

  /** The room an op that names none is about: the one room this session is in. */
  onlyRoom(): string {
    if (this.rooms.size !== 1) throw new RoomcastError('bad_request', 'room: required unless in exactly one room');
    return this.rooms.values().next().value!;
  }

  requireMember(room: string): void {
    if (!this.rooms.has(room)) throw new RoomcastError('forbidden', `join room ${room} first`);
  }

  requireRole(role: Identity['role']): void {
    if (this.identity.role !== role) throw new RoomcastError('forbidden', `only a ${role} may do this`);
  }

  /** Host ops: a host token names the rooms it runs (its `rooms` claim); another room's host is refused. */
  requireHostOf(room: string): void {
    this.requireRole('host');
    if (!this.identity.rooms?.includes(room)) throw new RoomcastError('forbidden', `this host token does not run room ${room}`);
  }

  topicsIn(room: string): string[] {
    return memberTopics(room, this.identity.tags, this.identity.channel);
  }

  private refusal(err: unknown): OpResult {
    const error = toRoomcastError(err);
    if (error.code === 'internal') this.ctx.log.error({ err }, 'op failed');
    const limit = this.ctx.config.realtime.rateLimit.floodDisconnectAfter;
    if (error.code === 'rate_limited' && ++this.refusedInARow >= limit && !this.closed) {
      this.ctx.metrics.closes.inc({ reason: 'flood' });
      this.connection.close(CloseCode.flood, 'flood');
    }
    return { ok: false, error: error.toJSON() };
  }
}

function readId(raw: unknown): number | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}
