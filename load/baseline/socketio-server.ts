import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

/**
 * The baseline for the fan-out bench: what a plain socket.io 4 server does. Default settings
 * (ws engine, JSON parser, in-memory adapter; with REDIS_URL, the official Redis adapter, as
 * several socket.io nodes are run); every host event, comment and like is broadcast with
 * `io.to(room).emit` as it arrives. GET /stats answers this process's CPU time and RSS.
 *
 *   PORT=9100 tsx load/baseline/socketio-server.ts
 *   PORT=9101 REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=bench-io tsx load/baseline/socketio-server.ts
 */

type Ack = (result: { ok: boolean; error?: string }) => void;
interface Product { id: string; title: string; price: number }

const port = Number(process.env.PORT ?? 9100);
const host = process.env.HOST ?? '127.0.0.1';
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const http = createServer((req, res) => {
  if (req.url !== '/stats') {
    res.writeHead(404).end();
    return;
  }
  const cpu = process.cpuUsage();
  const body = {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBytes: process.memoryUsage.rss(),
    loopLagP99Ms: loopDelay.percentile(99) / 1e6,
    sockets: io.engine.clientsCount,
  };
  loopDelay.reset();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
// socket.io answers /socket.io/ and leaves other paths to the handler above.
const io = new Server(http);
if (process.env.REDIS_URL) {
  const pub = new Redis(process.env.REDIS_URL);
  io.adapter(createAdapter(pub, pub.duplicate(), { key: process.env.REDIS_PREFIX ?? 'socket.io' }));
}
const likes = new Map<string, number>();

io.on('connection', (socket) => {
  const sub = String((socket.handshake.auth as { sub?: unknown }).sub ?? socket.id);
  const ack = (fn: unknown): Ack => (typeof fn === 'function' ? (fn as Ack) : () => {});

  socket.on('join', (room: string, done?: Ack) => {
    void socket.join(room);
    ack(done)({ ok: true });
  });
  socket.on('pin', ({ room, product }: { room: string; product: Product }, done?: Ack) => {
    io.to(room).emit('product.pinned', { type: 'product.pinned', data: product, ts: Date.now() });
    ack(done)({ ok: true });
  });
  socket.on('comment', ({ room, text }: { room: string; text: string }, done?: Ack) => {
    io.to(room).emit('comment', { type: 'comment', data: { user: { id: sub, name: sub }, text }, ts: Date.now() });
    ack(done)({ ok: true });
  });
  socket.on('like', ({ room, n }: { room: string; n: number }) => {
    const total = (likes.get(room) ?? 0) + n;
    likes.set(room, total);
    io.to(room).emit('like', { type: 'like', data: { user: sub, n, total }, ts: Date.now() });
  });
});

http.listen(port, host);
const shutdown = () => {
  void io.close();
  setTimeout(() => process.exit(0), 500).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
