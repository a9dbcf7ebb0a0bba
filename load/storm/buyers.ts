import { connectEach } from '../lib/connect.ts';
import { SignJWT } from 'jose';
import { Packr } from 'msgpackr';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { paced } from '../lib/pacer.ts';
import { Histogram, nowMs } from '../lib/stats.ts';
import { TIMELINE_BUCKET_MS, type BuyerConfig, type BuyerReport, type FromBuyers, type ToBuyers } from './messages.ts';

/**
 * One buyer process of the storm bench: `count` viewers that connect, join the room and then,
 * on `fire`, each send one `flash.buy`, open loop (nobody waits for a reply before sending).
 * Roomcast viewers speak the native protocol (msgpack over `ws`), baseline viewers socket.io.
 * Replies are timed send -> reply; other frames (stock left, ticker, online) are only counted.
 */

const CONNECT_CONCURRENCY = 50;
const CONNECT_TIMEOUT_MS = 15_000;
const JOIN_ID = 0;
const BUY_ID = 1;

/** The same options as server/protocol/codec.ts: plain maps, no records. */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

type Reply = { re: number; ok: true; data?: { order?: { id?: string }; coupon?: { id?: string } } } | { re: number; ok: false; error: { code: string; message: string } };

/** The op a viewer sends, without its requestId. */
function tap(config: BuyerConfig): { op: string; room: string } & Record<string, unknown> {
  return config.op === 'flash.buy'
    ? { op: 'flash.buy', room: config.room, sale: config.campaign, qty: 1 }
    : { op: 'coupon.claim', room: config.room, coupon: config.campaign };
}

interface Viewer {
  user: string;
  sentAt: number;
  answered: boolean;
  buy(): void;
  close(): void;
}

const latency = new Histogram();
const latencyOk = new Histogram();
const latencyRefused = new Histogram();
const report = {
  sent: 0, replied: 0, firstSentAt: 0, lastReplyAt: 0, codes: {} as Record<string, number>,
  timeline: { sent: [] as number[], ok: [] as number[], refused: [] as number[] },
  orders: [] as Array<[string, string]>, extraReplies: 0, frames: 0, closed: 0, pacerMaxLagMs: 0,
};
let firstError: string | undefined;
let viewers: Viewer[] = [];
let closing = false;
let fireAt = 0;

function count(series: number[], at: number): void {
  const bucket = Math.max(0, Math.floor((at - fireAt) / TIMELINE_BUCKET_MS));
  while (series.length <= bucket) series.push(0);
  series[bucket]!++;
}

function send(message: FromBuyers): void {
  process.send?.(message);
}

function noteError(message: string): void {
  firstError ??= message;
}

function sent(viewer: Viewer): void {
  viewer.sentAt = nowMs();
  report.firstSentAt ||= viewer.sentAt;
  report.sent++;
  count(report.timeline.sent, viewer.sentAt);
}

function replied(viewer: Viewer, code: string, orderId?: string): void {
  const at = nowMs();
  if (viewer.answered) {
    report.extraReplies++;
    return;
  }
  viewer.answered = true;
  report.replied++;
  report.lastReplyAt = Math.max(report.lastReplyAt, at);
  latency.record(at - viewer.sentAt);
  (code === 'ok' ? latencyOk : latencyRefused).record(at - viewer.sentAt);
  count(code === 'ok' ? report.timeline.ok : report.timeline.refused, at);
  report.codes[code] = (report.codes[code] ?? 0) + 1;
  if (code === 'ok') report.orders.push([viewer.user, orderId ?? '']);
  else if (code !== 'sold_out') noteError(`buy refused: ${code}`);
}

/**
 * A server frame (`batch`, `user`) is a map whose first key is "t"; a reply's is "re". Map header:
 * fixmap (1 byte), map16 (3) or map32 (5); "t" is the fixstr 0xa1 0x74.
 */
function isServerFrame(data: Buffer): boolean {
  const key = data[0] === 0xde ? 3 : data[0] === 0xdf ? 5 : 1;
  return data[key] === 0xa1 && data[key + 1] === 0x74;
}

function token(user: string, key: Uint8Array): Promise<string> {
  return new SignJWT({ sub: user, name: `buyer ${user}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(key);
}

async function connectNative(config: BuyerConfig, user: string, key: Uint8Array): Promise<Viewer> {
  const ws = new WebSocket(`${config.url}/v1/ws?token=${encodeURIComponent(await token(user, key))}`, { perMessageDeflate: false });
  const requestId = `${config.runId}-${user}`;
  const viewer: Viewer = {
    user,
    sentAt: 0,
    answered: false,
    buy: () => {
      sent(viewer);
      ws.send(packr.pack({ id: BUY_ID, ...tap(config), requestId }));
    },
    close: () => ws.close(1000),
  };
  let joined = false;
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(packr.pack({ id: JOIN_ID, op: 'join', room: config.room })));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.on('error', (err) => {
      noteError(`socket error: ${err.message}`);
      reject(err);
    });
    ws.on('close', (code, reason) => {
      if (closing) return;
      if (joined) report.closed++;
      noteError(`server closed a socket: ${code} ${reason.toString()}`);
      reject(new Error(`closed before the join reply: ${code} ${reason.toString()}`));
    });
    ws.on('message', (data: Buffer) => {
      if (isServerFrame(data)) {
        report.frames++;
        return;
      }
      const reply = packr.unpack(data) as Reply;
      if (reply.re === JOIN_ID) {
        if (!reply.ok) return reject(new Error(`join refused: ${reply.error.code} ${reply.error.message}`));
        joined = true;
        resolve(viewer);
      } else if (reply.re === BUY_ID) {
        replied(viewer, reply.ok ? 'ok' : reply.error.code, reply.ok ? (reply.data?.order?.id ?? reply.data?.coupon?.id) : undefined);
      }
    });
  });
}

async function connectSocketIo(config: BuyerConfig, user: string): Promise<Viewer> {
  const socket = io(config.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { sub: user } });
  const requestId = `${config.runId}-${user}`;
  const viewer: Viewer = {
    user,
    sentAt: 0,
    answered: false,
    buy: () => {
      sent(viewer);
      const { op, ...args } = tap(config);
      socket.emit(op, { ...args, requestId }, (reply: Reply) => {
        replied(viewer, reply.ok ? 'ok' : reply.error.code, reply.ok ? (reply.data?.order?.id ?? reply.data?.coupon?.id) : undefined);
      });
    },
    close: () => socket.disconnect(),
  };
  socket.onAny(() => report.frames++);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    await socket.timeout(10_000).emitWithAck('join', config.room);
  } catch (err) {
    socket.disconnect();
    throw err;
  }
  socket.on('disconnect', (reason) => {
    if (closing) return;
    report.closed++;
    noteError(`disconnected: ${reason}`);
  });
  return viewer;
}

async function connectAll(config: BuyerConfig): Promise<void> {
  const key = new TextEncoder().encode(config.jwtSecret);
  const user = (i: number) => `b${config.first + i}`;
  const { connected, failed, retried } = await connectEach(
    config.count,
    CONNECT_CONCURRENCY,
    CONNECT_TIMEOUT_MS,
    (i) => (config.target !== 'baseline' ? connectNative(config, user(i), key) : connectSocketIo(config, user(i))),
    user,
    noteError,
  );
  viewers = connected;
  send({ type: 'connected', connected: connected.length, failed, retried, ...(firstError ? { error: firstError } : {}) });
  // Reported above; the buy report starts clean.
  firstError = undefined;
  report.closed = 0;
  report.frames = 0;
}

async function fire(startAt: number, spreadMs: number, offsetMs: number): Promise<void> {
  fireAt = startAt;
  if (!viewers.length) return;
  const wait = startAt + offsetMs - nowMs();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const pace = await paced((viewers.length * 1000) / spreadMs, spreadMs / 1000, (i) => viewers[i]?.buy());
  report.pacerMaxLagMs = pace.maxLagMs;
}

function snapshot(): BuyerReport {
  const { idle, active } = performance.eventLoopUtilization();
  return { ...report, latency: latency.toJSON(), latencyOk: latencyOk.toJSON(), latencyRefused: latencyRefused.toJSON(), ...(firstError ? { error: firstError } : {}), loop: { idle, active } };
}

process.on('message', (message: ToBuyers) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message.config);
      break;
    case 'fire':
      void fire(message.startAt, message.spreadMs, message.offsetMs);
      break;
    case 'report':
      send({ type: 'report', report: snapshot() });
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
