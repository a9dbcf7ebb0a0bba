import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

/**
 * The baseline for the flash-sale storm bench: what a first, naive flash sale on socket.io 4 looks
 * like. Default socket.io settings (ws engine, JSON parser, in-memory adapter); one `flash.buy`
 * event with an ack, decided on Redis with separate commands and no atomicity:
 *
 *   SET <prefix>:flash:<sale>:buyer:<user> 1 NX   per-user guard (one buy per user; on by default)
 *   GET <prefix>:flash:<sale>:stock               then, if > 0,
 *   DECR <prefix>:flash:<sale>:stock              and ack { ok: true, data: { order } }
 *                                                 else ack { ok: false, error: { code: 'sold_out' } }
 *
 * No Lua, no WATCH/MULTI: between one buyer's GET and its DECR other buyers read the same stock,
 * so under concurrency it sells more than it has. Nothing is broadcast to the room (no stock
 * counter, no ticker), so it does less work per buy than Roomcast.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=naive-x STOCK=500 PORT=9200 tsx load/baseline/naive-flash-server.ts
 *
 * STOCK (when set) seeds the stock of every sale named in SALES (default "s1") at start-up.
 * USER_GUARD=0 drops the per-user guard. GET /stats answers this process's CPU time and RSS.
 */

type BuyResult = { ok: true; data: { order: { id: string; qty: number } } } | { ok: false; error: { code: string; message: string } };
type Ack = (result: BuyResult | { ok: true }) => void;
interface Buy { room?: unknown; sale?: unknown; qty?: unknown; requestId?: unknown }

const port = Number(process.env.PORT ?? 9200);
const host = process.env.HOST ?? '127.0.0.1';
const prefix = process.env.REDIS_PREFIX ?? 'naive';
const userGuard = process.env.USER_GUARD !== '0';
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
const stockKey = (sale: string) => `${prefix}:flash:${sale}:stock`;
const buyerKey = (sale: string, user: string) => `${prefix}:flash:${sale}:buyer:${user}`;
const counts = { buys: 0, ok: 0, soldOut: 0, limit: 0, errors: 0 };

const http = createServer((req, res) => {
  if (req.url !== '/stats') {
    res.writeHead(404).end();
    return;
  }
  const cpu = process.cpuUsage();
  const body = { cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: process.memoryUsage.rss(), sockets: io.engine.clientsCount, userGuard, ...counts };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
const io = new Server(http);

io.on('connection', (socket) => {
  const user = String((socket.handshake.auth as { sub?: unknown }).sub ?? socket.id);
  const ack = (fn: unknown): Ack => (typeof fn === 'function' ? (fn as Ack) : () => {});

  socket.on('join', (room: string, done?: Ack) => {
    void socket.join(String(room));
    ack(done)({ ok: true });
  });
  // A coupon claim is the same naive GET + DECR on the coupon's own stock key.
  const buy = async ({ sale, qty, requestId }: Buy, done?: Ack) => {
    const reply: (result: BuyResult) => void = ack(done);
    counts.buys++;
    const saleId = String(sale);
    try {
      if (userGuard && (await redis.set(buyerKey(saleId, user), '1', 'NX')) === null) {
        counts.limit++;
        return reply({ ok: false, error: { code: 'limit_reached', message: 'one per user' } });
      }
      const stock = Number(await redis.get(stockKey(saleId)));
      if (stock > 0) {
        await redis.decr(stockKey(saleId));
        counts.ok++;
        return reply({ ok: true, data: { order: { id: `o-${saleId}-${user}-${String(requestId)}`, qty: Number(qty) || 1 } } });
      }
      counts.soldOut++;
      reply({ ok: false, error: { code: 'sold_out', message: 'sold out' } });
    } catch (err) {
      counts.errors++;
      reply({ ok: false, error: { code: 'internal', message: (err as Error).message } });
    }
  };
  socket.on('flash.buy', buy);
  socket.on('coupon.claim', ({ coupon, requestId }: { coupon?: unknown; requestId?: unknown }, done?: Ack) => buy({ sale: coupon, qty: 1, requestId }, done));
});

async function main(): Promise<void> {
  await redis.connect();
  if (process.env.STOCK !== undefined) {
    for (const sale of (process.env.SALES ?? 's1').split(',')) await redis.set(stockKey(sale), String(Number(process.env.STOCK)));
  }
  http.listen(port, host);
}

const shutdown = () => {
  void io.close();
  redis.disconnect();
  setTimeout(() => process.exit(0), 500).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
