import { connectEach } from '../lib/connect.ts';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { issueToken, secretKey } from '../../server/auth/token.ts';
import { decode, encode } from '../../server/protocol/codec.ts';
import type { BatchFrame, JoinResult, Product, ReplyFrame } from '../../server/protocol/frames.ts';
import { Histogram, nowMs } from '../lib/stats.ts';
import { type FromViewers, type ToViewers, type ViewerConfig, type ViewerReport, readTag, roomOf, speaksNative } from './messages.ts';

/**
 * One viewer process of the fan-out bench: `count` sockets in the bench room that count the
 * critical `product.pinned` events and their latency; some of them also comment and like. To keep
 * the load generator cheap, native frames are decoded only when they contain a pinned product.
 */

const PINNED = Buffer.from('product.pinned');
/** Roomcast lets a socket comment 1/s (burst 3): each commenter stays under that. */
const COMMENTS_PER_SOCKET_PER_SEC = 0.8;
const CONNECT_CONCURRENCY = 50;
const CONNECT_TIMEOUT_MS = 15_000;
const CHATTER_TICK_MS = 20;

interface Viewer {
  /** Highest order (Roomcast seq, baseline pin number) seen: lower or equal is a duplicate. */
  last: number;
  comment(text: string): void;
  like(): void;
  close(): void;
}

const steps = new Map<number, { delivered: number; lastAt: number; latency: Histogram }>();
const counters = { duplicates: 0, frames: 0, bytes: 0, commentsSent: 0, likesSent: 0, commentsRefused: 0, closed: 0 };
let firstError: string | undefined;
let viewers: Viewer[] = [];
let closing = false;

function send(message: FromViewers): void {
  process.send?.(message);
}

function noteError(message: string): void {
  firstError ??= message;
}

function onPinned(viewer: Viewer, order: number, product: Product): void {
  const receivedAt = nowMs();
  if (order <= viewer.last) {
    counters.duplicates++;
    return;
  }
  viewer.last = order;
  const { step, sentAt } = readTag(product);
  let stats = steps.get(step);
  if (!stats) steps.set(step, (stats = { delivered: 0, lastAt: 0, latency: new Histogram() }));
  stats.delivered++;
  stats.lastAt = receivedAt;
  stats.latency.record(receivedAt - sentAt);
}

/**
 * A native reply `{re, ok, ...}` is a map whose first key is "re" (batches start with "t"). The
 * map header is a fixmap (1 byte) or, as msgpackr writes objects, a map16 (0xde + 2 bytes).
 */
function isReply(data: Buffer): boolean {
  const key = data[0] === 0xde ? 3 : 1;
  return data[key] === 0xa2 && data[key + 1] === 0x72 && data[key + 2] === 0x65;
}

async function connectNative(config: ViewerConfig, index: number, key: Uint8Array): Promise<Viewer> {
  const room = roomOf(config.room, config.rooms, index);
  const token = await issueToken({ sub: `v${index}`, role: 'viewer' }, key);
  const ws = new WebSocket(`${config.url}/v1/ws?token=${encodeURIComponent(token)}`, { perMessageDeflate: false });
  let nextId = 1;
  const viewer: Viewer = {
    last: 0,
    comment: (text) => ws.send(encode({ id: nextId++, op: 'comment', room, text })),
    like: () => ws.send(encode({ op: 'like', room, n: 1 })),
    close: () => ws.close(1000),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(encode({ id: 0, op: 'join', room })));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.on('error', (err) => {
      noteError(`socket error: ${err.message}`);
      reject(err);
    });
    ws.on('close', (code, reason) => {
      if (closing) return;
      counters.closed++;
      noteError(`server closed a socket: ${code} ${reason.toString()}`);
      reject(new Error(`closed before the join reply: ${code} ${reason.toString()}`));
    });
    ws.on('message', (data: Buffer) => {
      counters.frames++;
      counters.bytes += data.length;
      if (isReply(data)) {
        const reply = decode(data) as ReplyFrame;
        if (reply.re === 0) {
          if (!reply.ok) return reject(new Error(`join refused: ${reply.error.message}`));
          viewer.last = (reply.data as JoinResult).seq;
          // A slow viewer: its receive buffers fill and the server has to hold (or cut) it.
          if (index < config.slow) ws.pause();
          resolve(viewer);
        } else if (!reply.ok) {
          counters.commentsRefused++;
          noteError(`comment refused: ${reply.error.code} (${reply.error.message})`);
        }
        return;
      }
      if (data.indexOf(PINNED) === -1) return;
      const frame = decode(data) as BatchFrame;
      for (const event of frame.events) {
        if (event.type === 'product.pinned') onPinned(viewer, event.seq ?? 0, event.data as Product);
      }
    });
  });
}

async function connectSocketIo(config: ViewerConfig, index: number): Promise<Viewer> {
  const room = roomOf(config.room, config.rooms, index);
  const socket = io(config.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { sub: `v${index}` } });
  const viewer: Viewer = {
    last: -1,
    comment: (text) => socket.emit('comment', { room, text }, (res?: { ok: boolean }) => {
      if (!res?.ok) counters.commentsRefused++;
    }),
    like: () => socket.emit('like', { room, n: 1 }),
    close: () => socket.disconnect(),
  };
  socket.onAny((event: string, payload: { data: Product }) => {
    counters.frames++;
    if (event === 'product.pinned') onPinned(viewer, readTag(payload.data).n, payload.data);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.on('disconnect', (reason) => {
    if (closing) return;
    counters.closed++;
    noteError(`disconnected: ${reason}`);
  });
  await socket.timeout(10_000).emitWithAck('join', room);
  if (index < config.slow) (socket.io.engine.transport as unknown as { ws: WebSocket }).ws.pause();
  return viewer;
}

async function connectAll(config: ViewerConfig): Promise<void> {
  const key = secretKey(config.jwtSecret);
  const { connected, failed, retried } = await connectEach(
    config.count,
    CONNECT_CONCURRENCY,
    CONNECT_TIMEOUT_MS,
    (i) => (speaksNative(config.target) ? connectNative(config, config.first + i, key) : connectSocketIo(config, config.first + i)),
    (i) => `v${config.first + i}`,
    noteError,
  );
  viewers = connected;
  send({ type: 'connected', connected: connected.length, failed, retried, ...(firstError ? { error: firstError } : {}) });
  // Reported above; the step reports start clean.
  counters.closed = 0;
  firstError = undefined;
}

/** Open loop: whatever is due since the rates were set is sent, comments round-robin over the commenters. */
let chatter = { commentsPerSec: 0, likesPerSec: 0, since: 0, comments: 0, likes: 0 };
setInterval(() => {
  if (!viewers.length) return;
  const elapsed = (nowMs() - chatter.since) / 1000;
  const commenters = Math.min(viewers.length, Math.ceil(chatter.commentsPerSec / COMMENTS_PER_SOCKET_PER_SEC));
  for (; chatter.comments < Math.floor(elapsed * chatter.commentsPerSec); chatter.comments++, counters.commentsSent++) {
    viewers[chatter.comments % commenters]!.comment(`comment ${counters.commentsSent} from the bench`);
  }
  for (; chatter.likes < Math.floor(elapsed * chatter.likesPerSec); chatter.likes++, counters.likesSent++) {
    viewers[chatter.likes % viewers.length]!.like();
  }
}, CHATTER_TICK_MS);

function report(step: number): ViewerReport {
  const stats = steps.get(step);
  const { idle, active } = performance.eventLoopUtilization();
  return {
    step,
    delivered: stats?.delivered ?? 0,
    lastAt: stats?.lastAt ?? 0,
    latency: (stats?.latency ?? new Histogram()).toJSON(),
    ...counters,
    ...(firstError ? { error: firstError } : {}),
    loop: { idle, active },
  };
}

process.on('message', (message: ToViewers) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message.config);
      break;
    case 'chatter':
      chatter = { commentsPerSec: message.commentsPerSec, likesPerSec: message.likesPerSec, since: nowMs(), comments: 0, likes: 0 };
      break;
    case 'report':
      send({ type: 'report', report: report(message.step) });
      break;
    case 'exit':
      closing = true;
      for (const viewer of viewers) viewer.close();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
// The bench went away (even with SIGKILL): do not linger.
process.on('disconnect', () => process.exit(0));
