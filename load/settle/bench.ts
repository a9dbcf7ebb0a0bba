import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { flags } from '../lib/flags.ts';
import { issueToken, secretKey } from '../../server/auth/token.ts';
import { connect, type TestClient } from '../../server/testing/clients.ts';
import { FakeMall } from '../fake-mall/mall.ts';
import { gitState } from '../fanout/report.ts';
import { requestJson } from '../lib/http.ts';
import { paced, sleep } from '../lib/pacer.ts';
import { freePort, onInterrupt, startServer, stop } from '../lib/proc.ts';
import { Histogram, nowMs } from '../lib/stats.ts';
import { randomPrefix, RedisAdmin } from '../lib/redis.ts';

/**
 * `npm run bench:settle`: how fast reserved orders reach the brand's mall. Roomcast runs as users
 * run it (Redis engine, BullMQ queues, shipped retry settings) against the fake mall over real,
 * signed HTTP; buyers reserve `--orders` orders at `--rate` a second (open loop), once per mall
 * failure rate. Per run: orders settled per second, queue lag (reservation answered -> the buyer's
 * `order.update submitted`) p50/p99/max, pushes per order, and exact accounting (every order in
 * the mall once). Writes load/results/settle-<time>.json.
 *
 *   npm run bench:settle -- --orders 2000 --rate 500 --failures 0,0.3
 */

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '1000' },
    buyers: { type: 'string', default: '200' },
    failures: { type: 'string', default: '0,0.3' },
    latency: { type: 'string', default: '5' },
    drain: { type: 'string', default: '60' },
  },
});

const { number, integer, usage } = flags('bench:settle', '--orders N (a multiple of --buyers) --rate N/s --buyers N --failures 0,0.3 (each 0..1) --latency MS --drain SECONDS');
const options = {
  orders: integer('orders', values.orders, 1, 1_000_000),
  rate: integer('rate', values.rate, 1, 100_000),
  buyers: integer('buyers', values.buyers, 1, 20_000),
  failures: values.failures.split(',').map((f) => number('failures', f, 0, 0.99)),
  mallLatencyMs: integer('latency', values.latency, 0, 60_000),
  drainSec: integer('drain', values.drain, 1, 3600),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
};
if (options.orders % options.buyers) usage('--orders must be a multiple of --buyers');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const JWT_SECRET = 'dev-jwt-secret-do-not-use-in-production';
const API_KEY = 'dev-api-key';
const MALL_SECRET = 'dev-mall-secret';
const RETRY_BASE_MS = 100;

interface SettleResult {
  failureRate: number;
  orders: number;
  reserved: number;
  settled: number;
  settledPerSec: number;
  /** Reserved -> submitted (the mall's answer stored), on the server's clock. */
  lagMs: { p50: number; p99: number; max: number };
  /** Reserved -> the mall received the push that it accepted. */
  toMallP99Ms: number;
  pushesPerOrder: number;
  mallAttempts: number;
  exact: boolean;
}

const admin = new RedisAdmin(options.redisUrl);
const prefixes: string[] = [];
onInterrupt(async () => {
  for (const prefix of prefixes) await admin.deleteAll(prefix);
});

async function run(failureRate: number): Promise<SettleResult> {
  const prefix = randomPrefix('rc');
  prefixes.push(prefix);
  const mall = await FakeMall.start({ secret: MALL_SECRET, failureRate, latencyMs: options.mallLatencyMs });
  const [port, httpPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const configFile = join(tmpdir(), `roomcast-settle-${prefix}.json`);
  const perBuyer = options.orders / options.buyers;
  // Each simulated buyer places many orders, so its op budget is raised; retries start at 100 ms
  // (shipped: 1 s) so a run with failures ends in seconds: the first retry after 0.1 s, then 0.2, 0.4, ...
  writeFileSync(configFile, JSON.stringify({ realtime: { rateLimit: { opsPerSec: 1000, opsBurst: 1000 } }, mall: { retryBaseMs: RETRY_BASE_MS } }));
  const base = `http://127.0.0.1:${httpPort}`;
  const server = await startServer('roomcast', 'server/main.ts', {
    cwd: ROOT,
    env: {
      PORT: String(port), HTTP_PORT: String(httpPort), ADMIN_PORT: String(adminPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', CONFIG_FILE: configFile,
      REDIS_URL: options.redisUrl, REDIS_PREFIX: prefix, JWT_SECRET, API_KEYS: API_KEY, MALL_URL: mall.url, MALL_SECRET,
    },
    readyUrl: `${base}/readyz`,
  }).catch(async (err: unknown) => {
    await mall.close();
    throw err;
  });
  const buyers: TestClient[] = [];
  try {
    const api = <T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown) => requestJson<T>(method, base + path, { bearer: API_KEY, body });
    await api('POST', '/v1/rooms', { id: 'settle', title: 'Settlement bench' });
    await api('POST', '/v1/rooms/settle/flash-sales', {
      id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: options.orders, perUserLimit: perBuyer, payWindowSec: 3600,
    });
    await api('POST', '/v1/rooms/settle/flash-sales/s/start', {});
    const key = secretKey(JWT_SECRET);
    for (let i = 0; i < options.buyers; i++) {
      const client = await connect('ws', `ws://127.0.0.1:${port}`, await issueToken({ sub: `settle${i}` }, key));
      await client.request('join', { room: 'settle' });
      buyers.push(client);
    }

    console.error(`failure ${failureRate * 100}%: ${options.orders} orders at ${options.rate}/s into a mall answering in ${options.mallLatencyMs} ms`);
    const reserved: string[] = [];
    await paced(options.rate, options.orders / options.rate, (i) => {
      void buyers[i % buyers.length]!.request('flash.buy', { room: 'settle', sale: 's', requestId: `r${i}` }).then((reply) => {
        if (reply.ok) reserved.push((reply.data as { order: { id: string } }).order.id);
      });
    });
    const deadline = nowMs() + options.drainSec * 1000;
    while (nowMs() < deadline && (reserved.length < options.orders || mall.orders.size < reserved.length)) await sleep(100);
    await sleep(500); // the last answers from the mall turn into `submitted`

    // Lag on the server's own clock: createdAt (reserved) -> submittedAt (the mall's answer stored).
    const orders = await Promise.all(reserved.map(async (id) => (await api<{ order: { createdAt: number; submittedAt?: number } }>('GET', `/v1/orders/${id}`)).order));
    const lag = new Histogram();
    const toMall = new Histogram();
    orders.forEach((o, i) => {
      if (o.submittedAt) lag.record(o.submittedAt - o.createdAt);
      const received = mall.orders.get(reserved[i]!)?.receivedAt;
      if (received) toMall.record(received - o.createdAt);
    });
    const firstReserved = Math.min(...orders.map((o) => o.createdAt));
    const lastSettled = Math.max(...orders.map((o) => o.submittedAt ?? 0));
    const pushes = [...mall.orders.values()].reduce((sum, o) => sum + o.pushes, 0);
    const exact = mall.orders.size === reserved.length && lag.count === reserved.length && reserved.every((id) => mall.orders.has(id));
    return {
      failureRate,
      orders: options.orders,
      reserved: reserved.length,
      settled: lag.count,
      settledPerSec: Math.round(lag.count / ((lastSettled - firstReserved) / 1000)),
      lagMs: { p50: round(lag.percentile(50)), p99: round(lag.percentile(99)), max: round(lag.max) },
      toMallP99Ms: round(toMall.percentile(99)),
      pushesPerOrder: Number((pushes / Math.max(1, mall.orders.size)).toFixed(3)),
      mallAttempts: mall.attempts,
      exact,
    };
  } finally {
    await Promise.all(buyers.map((b) => b.close().catch(() => undefined)));
    await stop(server);
    await mall.close();
    await admin.deleteAll(prefix);
  }
}

/** Exact: every reservation is in the mall, once, and submitted; otherwise what is missing. */
function accounting(r: SettleResult): string {
  return r.exact ? 'exact' : `${r.reserved - r.settled} unsettled after the drain`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

await admin.connect();
const results: SettleResult[] = [];
for (const failure of options.failures) results.push(await run(failure));
await admin.quit();

const rows = results.map((r) =>
  `| ${r.failureRate * 100}% | ${r.reserved} | ${r.settled} | ${r.settledPerSec} | ${r.lagMs.p50} | ${r.lagMs.p99} | ${r.lagMs.max} | ${r.toMallP99Ms} | ${r.mallAttempts} | ${accounting(r)} |`);
const table = [
  `Settlement: ${options.orders} orders offered at ${options.rate}/s, mall latency ${options.mallLatencyMs} ms, retries from ${RETRY_BASE_MS} ms doubling`,
  '',
  '| mall failures | reserved | settled | settled/s | lag p50 ms | lag p99 ms | lag max ms | to mall p99 ms | mall requests | accounting |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
const dir = join(ROOT, 'load/results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `settle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ options, git: gitState(), machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, results }, null, 2));
console.log(`\nwritten: ${file}`);
for (const r of results) console.log(`settle ${r.settledPerSec}/s at ${r.failureRate * 100}% mall failures · lag p99 ${r.lagMs.p99} ms · ${accounting(r)}`);
