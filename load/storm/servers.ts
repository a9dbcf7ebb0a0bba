import { fileURLToPath } from 'node:url';
import { keyspace } from '../../server/platform/keys.ts';
import { flashKeys } from '../../server/commerce/flash-sale/store.ts';
import { orderKeys } from '../../server/orders/store.ts';
import { getText, requestJson, roomcastMetrics } from '../lib/http.ts';
import { freePort, serverFds, startServer, stop, treeCpuTimes, treeRssBytes, type Child } from '../lib/proc.ts';
import { metric } from '../lib/prom.ts';
import type { StormOp, Target } from './messages.ts';
import { couponKeys } from '../../server/commerce/coupon/store.ts';
import type { RedisAdmin } from '../lib/redis.ts';

/** The development secrets of config/default.json, passed explicitly so the environment cannot change them. */
export const JWT_SECRET = 'dev-jwt-secret-do-not-use-in-production';
const API_KEY = 'dev-api-key';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE_TIMEOUT_MS = 2000;

export const ROOM = 'storm';
/** The sale of a buy storm, the coupon of a claim storm. */
export const CAMPAIGN = 's1';

export interface ServerSample {
  /** As the server reports it (Roomcast /metrics, baseline /stats); NaN when it did not answer in time. */
  cpuSeconds: number;
  /** The same from /proc: the fallback and a cross-check. */
  procCpuSeconds: number;
  /** /proc's split: in the process (user) and in the kernel for it (system: mostly socket reads and writes). */
  procUserSeconds: number;
  procSystemSeconds: number;
  rssBytes: number;
  /** Roomcast: commands its store sent (roomcast_store_commands_total: a script call is one). */
  storeCommands?: number;
  /** Roomcast: batched decisions so far (every decision), the taps they decided, their calls' time. */
  batches?: { count: number; taps: number; seconds: number };
  /** Roomcast: its own flash.buy timing (roomcast_op_duration_seconds), by result: handled -> answered. */
  buys?: Record<'ok' | 'refused', { count: number; sumSeconds: number }>;
}

/** What the server and Redis say was sold, after the storm. */
export interface Audit {
  /** Units left: Roomcast's sale `left`, the baseline's stock key (negative when oversold). */
  left: number;
  /** Units sold as the server counts them: Roomcast's sale `sold`; the baseline keeps no count, so stock - left. */
  sold: number;
  /** Roomcast's sale status after the storm. */
  status?: string;
  /** Orders stored in Redis (Roomcast: order hashes of the room; the baseline stores none). */
  ordersStored?: number;
  /** Distinct users among the stored orders, and users holding more than one unit in the sale's buyer hash. */
  orderUsers?: number;
  buyersOverLimit?: number;
  buyersStored?: number;
  /** Order ids from ok replies that Redis does not have. */
  orderIdsMissing?: number;
  /** Baseline: per-user guard keys set (one per user that got past the guard). */
  guardKeys?: number;
}

export interface ServerUnderTest {
  target: Target;
  /** What it is, for the table. */
  label: string;
  /** Where buyers connect: ws://... for Roomcast, http://... for the baseline. */
  url: string;
  prefix: string;
  child: Child;
  sample(): Promise<ServerSample>;
  audit(okOrderIds: string[]): Promise<Audit>;
  stop(): Promise<void>;
}

/**
 * Roomcast (`node --import tsx server/main.ts`) with room `storm` and either flash sale `s1` (S
 * units, one per user) started or coupon `s1` (S coupons, one per user) popped: on the Redis engine
 * under its own key prefix, or on the memory engine; as one process or `workers` (WORKERS=N); from
 * this checkout, or from `dir` (reported as target `before`).
 */
export async function startRoomcast(redis: RedisAdmin, prefix: string, stock: number, viewers: number, how: { profileDir?: string; engine: 'redis' | 'memory' | 'cluster'; cluster?: string; dir?: string; workers: number; op: StormOp }): Promise<ServerUnderTest> {
  const { profileDir, engine, dir, workers, op } = how;
  const target: Target = dir ? 'before' : 'roomcast';
  const [port, httpPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${httpPort}`;
  const api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => requestJson<T>(method, base + path, { bearer: API_KEY, body });
  const child = await startServer(target, 'server/main.ts', {
    cwd: dir ?? ROOT,
    fds: serverFds(viewers),
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    env: {
      PORT: String(port), HTTP_PORT: String(httpPort), ADMIN_PORT: String(adminPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      REDIS_URL: engine === 'redis' ? redis.url : '', ...(engine === 'cluster' ? { REDIS_CLUSTER: how.cluster! } : {}), REDIS_PREFIX: prefix, JWT_SECRET, API_KEYS: API_KEY, CONFIG_FILE: '',
      ...(workers > 1 ? { WORKERS: String(workers) } : {}),
    },
    readyUrl: `${base}/readyz`,
  }, async () => {
    await api('POST', '/v1/rooms', { id: ROOM, title: 'Tap storm bench' });
    if (op === 'flash.buy') {
      await api('POST', `/v1/rooms/${ROOM}/flash-sales`, { id: CAMPAIGN, product: { id: 'p1', title: 'Tea', price: 100 }, price: 90, stock, perUserLimit: 1 });
      await api('POST', `/v1/rooms/${ROOM}/flash-sales/${CAMPAIGN}/start`, {});
    } else {
      await api('POST', `/v1/rooms/${ROOM}/coupons`, { id: CAMPAIGN, title: 'Ten off', value: 1000, quantity: stock, perUserLimit: 1, popupSec: 600 });
      await api('POST', `/v1/rooms/${ROOM}/coupons/${CAMPAIGN}/pop`, {});
    }
  });
  const keys = { ...flashKeys(keyspace(prefix)), orders: orderKeys(keyspace(prefix)), coupons: couponKeys(keyspace(prefix)) };
  return {
    target,
    label: `Roomcast${dir ? ' before' : ''}${workers > 1 ? `, ${workers} workers` : ''} (${engine === 'cluster' ? 'redis engine on a 3-master Redis Cluster' : `${engine} engine`}, msgpack WS)`,
    url: `ws://127.0.0.1:${port}`,
    prefix,
    child,
    sample: () => sampleWith(child, async () => {
      const text = await roomcastMetrics({ admin: adminPort, http: httpPort }, SAMPLE_TIMEOUT_MS);
      return {
        cpuSeconds: metric(text, 'roomcast_process_cpu_user_seconds_total') + metric(text, 'roomcast_process_cpu_system_seconds_total'),
        rssBytes: metric(text, 'roomcast_process_resident_memory_bytes'),
        storeCommands: metric(text, 'roomcast_store_commands_total'),
        batches: { count: metric(text, 'roomcast_batch_size_count'), taps: metric(text, 'roomcast_batch_size_sum'), seconds: metric(text, 'roomcast_batch_duration_seconds_sum') },
        buys: opTimes(text),
      };
    }),
    async audit(okOrderIds) {
      if (op === 'coupon.claim') {
        const { coupon } = await api<{ coupon: { left: number; issued: number; status: string } }>('GET', `/v1/rooms/${ROOM}/coupons/${CAMPAIGN}`);
        if (engine === 'memory') return { left: coupon.left, sold: coupon.issued, status: coupon.status };
        const claimers = await redis.redis.hgetall(keys.coupons.claimers(ROOM, CAMPAIGN));
        const issued = await redis.count(prefix, keys.coupons.issued(ROOM, '*').slice(prefix.length + 1));
        return {
          left: coupon.left, sold: coupon.issued, status: coupon.status, ordersStored: issued, orderUsers: Object.keys(claimers).length,
          buyersStored: Object.keys(claimers).length, buyersOverLimit: Object.values(claimers).filter((n) => Number(n) > 1).length,
        };
      }
      const { sale } = await api<{ sale: { left: number; sold: number; status: string } }>('GET', `/v1/rooms/${ROOM}/flash-sales/${CAMPAIGN}`);
      // On the memory engine the records are in the server's process: the sale's own figures only.
      if (engine === 'memory') return { left: sale.left, sold: sale.sold, status: sale.status };
      // On a cluster, the orders as the brand exports them (the keys are spread over the masters).
      if (engine === 'cluster') {
        const res = await fetch(`${base}/v1/orders?room=${ROOM}`, { headers: { authorization: `Bearer ${API_KEY}` } });
        const exported = (await res.text()).trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; user: string; qty: number });
        const perUser = new Map<string, number>();
        for (const o of exported) perUser.set(o.user, (perUser.get(o.user) ?? 0) + o.qty);
        const ids = new Set(exported.map((o) => o.id));
        return {
          left: sale.left, sold: sale.sold, status: sale.status, ordersStored: exported.length, orderUsers: perUser.size,
          buyersStored: perUser.size, buyersOverLimit: [...perUser.values()].filter((units) => units > 1).length,
          orderIdsMissing: okOrderIds.filter((id) => !ids.has(id)).length,
        };
      }
      // The engine's own records: one order hash per reservation, and units held per user.
      const orderKeys: string[] = [];
      const orderPrefix = keys.orders.prefix(ROOM);
      for await (const page of redis.keys(prefix, `${orderPrefix.slice(prefix.length + 1)}*`)) orderKeys.push(...page);
      const users = new Set<string>();
      for (let i = 0; i < orderKeys.length; i += 500) {
        const batch = redis.redis.pipeline();
        for (const key of orderKeys.slice(i, i + 500)) batch.hget(key, 'user');
        for (const [, user] of (await batch.exec()) ?? []) if (typeof user === 'string') users.add(user);
      }
      const stored = new Set(orderKeys.map((k) => k.slice(orderPrefix.length)));
      const buyers = await redis.redis.hgetall(keys.buyers(ROOM, CAMPAIGN));
      return {
        left: sale.left,
        sold: sale.sold,
        status: sale.status,
        ordersStored: orderKeys.length,
        orderUsers: users.size,
        buyersStored: Object.keys(buyers).length,
        buyersOverLimit: Object.values(buyers).filter((units) => Number(units) > 1).length,
        orderIdsMissing: okOrderIds.filter((id) => !stored.has(id)).length,
      };
    },
    stop: () => stop(child),
  };
}

/** The naive socket.io server of load/baseline, on its own key prefix, stock seeded at start-up. */
export async function startBaseline(redis: RedisAdmin, prefix: string, stock: number, viewers: number): Promise<ServerUnderTest> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = await startServer('naive', 'load/baseline/naive-flash-server.ts', {
    fds: serverFds(viewers),
    cwd: ROOT,
    env: { PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: prefix, STOCK: String(stock), SALES: CAMPAIGN },
    readyUrl: `${base}/stats`,
  });
  return {
    target: 'baseline',
    label: 'naive socket.io (GET + DECR)',
    url: base,
    prefix,
    child,
    sample: () => sampleWith(child, async () => JSON.parse(await getText(`${base}/stats`, SAMPLE_TIMEOUT_MS)) as { cpuSeconds: number; rssBytes: number }),
    async audit() {
      const left = Number(await redis.redis.get(`${prefix}:flash:${CAMPAIGN}:stock`));
      return { left, sold: stock - left, guardKeys: await redis.count(prefix, `flash:${CAMPAIGN}:buyer:*`) };
    },
    stop: () => stop(child),
  };
}

/** The server's own numbers plus /proc's; /proc alone when the server does not answer in time. */
function opTimes(text: string): ServerSample['buys'] {
  const series = (result: string) => ({
    count: metric(text, 'roomcast_op_duration_seconds_count', { op: 'flash.buy', result }),
    sumSeconds: metric(text, 'roomcast_op_duration_seconds_sum', { op: 'flash.buy', result }),
  });
  const all = { count: metric(text, 'roomcast_op_duration_seconds_count', { op: 'flash.buy' }), sumSeconds: metric(text, 'roomcast_op_duration_seconds_sum', { op: 'flash.buy' }) };
  const ok = series('ok');
  return { ok, refused: { count: all.count - ok.count, sumSeconds: all.sumSeconds - ok.sumSeconds } };
}

async function sampleWith(child: Child, read: () => Promise<Omit<ServerSample, 'procCpuSeconds' | 'procUserSeconds' | 'procSystemSeconds'>>): Promise<ServerSample> {
  // A multi-worker server is its primary and the workers it forked.
  const { user, system } = treeCpuTimes(child.pid);
  const proc = { procCpuSeconds: user + system, procUserSeconds: user, procSystemSeconds: system };
  try {
    return { ...(await read()), ...proc };
  } catch {
    return { cpuSeconds: NaN, ...proc, rssBytes: treeRssBytes(child.pid) };
  }
}
