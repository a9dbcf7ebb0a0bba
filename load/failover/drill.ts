/**
 * `npm run bench:failover`: the failover drill. A Redis Cluster of three masters with a replica each
 * (`redis-server`, `redis-cli --cluster create`, node timeout 1 s), one Roomcast node on it
 * (REDIS_CLUSTER), and buyers tapping a flash sale at a steady rate. Mid-storm the master that holds
 * the room's slot is killed (SIGKILL); its replica is promoted. Every tap is retried by its buyer
 * with the same requestId while it is refused `unavailable` (as the SDK does), until it is answered.
 *
 * It reports what the clients saw (refusals, how long the room could not decide) and what was lost
 * (orders acknowledged to a buyer that are gone after the failover; units and orders that disagree),
 * once as Roomcast runs by default and once with `redis.waitReplicas` 1 (WAIT 1 after each decision):
 * what WAIT costs in latency and what it buys. Loopback only; bounded in count and time.
 *
 *   npm run bench:failover -- --buyers 200 --rate 300 --seconds 12 --kill-at 4
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { issueToken, secretKey } from '../../server/auth/token.ts';
import { slotOfKey } from '../../server/platform/slots.ts';
import { connect, type TestClient } from '../../server/testing/clients.ts';
import { callApi } from '../../server/testing/node.ts';
import { spawnNode, type NodeProcess } from '../../server/testing/process.ts';
import { PrivateCluster } from '../../server/testing/redis-cluster.ts';
import { flags } from '../lib/flags.ts';
import { Histogram } from '../lib/stats.ts';

const { integer, number, usage } = flags('bench:failover', '--buyers N --rate TAPS_PER_S --seconds S --kill-at S --waits 0,1');
const { values } = parseArgs({
  options: { buyers: { type: 'string', default: '200' }, rate: { type: 'string', default: '300' }, seconds: { type: 'string', default: '12' }, 'kill-at': { type: 'string', default: '4' }, waits: { type: 'string', default: '0,1' } },
});
const options = {
  buyers: integer('buyers', values.buyers, 1, 2000),
  rate: integer('rate', values.rate, 1, 5000),
  seconds: number('seconds', values.seconds, 2, 120),
  killAt: number('kill-at', values['kill-at'], 1, 120),
  waits: values.waits.split(',').map((w) => integer('waits', w, 0, 2)),
};
if (options.killAt >= options.seconds) usage('--kill-at must fall inside --seconds');
const ROOM = 'drill';
const RETRY_MS = 200;
const GIVE_UP_MS = 30_000;

interface Outcome {
  mode: string;
  taps: number;
  acknowledged: number;
  gaveUp: number;
  retried: number;
  refusals: Record<string, number>;
  decisionsPerSecBefore: number;
  latencyBefore: { p50: number; p99: number };
  latencyAfter: { p50: number; p99: number };
  /** The longest stretch after the kill in which no tap was decided. */
  outageMs: number;
  lostAcknowledged: number;
  soldByCounter: number;
  ordersFound: number;
}

async function drill(waitReplicas: number): Promise<Outcome> {
  const cluster = await PrivateCluster.start({ masters: 3, replicas: 1, nodeTimeoutMs: 1000 });
  let node: NodeProcess | undefined;
  const clients: TestClient[] = [];
  try {
    await replicated(cluster);
    node = await spawnNode({ REDIS_CLUSTER: cluster.nodes, REDIS_PREFIX: 'drill', REDIS_WAIT_REPLICAS: String(waitReplicas) },
      { realtime: { rateLimit: { opsPerSec: 1000, opsBurst: 1000 } }, rooms: { demoRoom: '' } });
    const http = `http://127.0.0.1:${node.ports.http}`;
    const api = (method: string, path: string, body?: unknown) => callApi(http, 'dev-api-key', method, path, body);
    const setUp = async (path: string, body?: unknown) => {
      const res = await api('POST', path, body);
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await setUp('/v1/rooms', { id: ROOM, title: 'drill' });
    await setUp(`/v1/rooms/${ROOM}/start`);
    // Enough units never to sell out, and enough per buyer for all of their taps.
    const stock = options.rate * options.seconds * 2;
    await setUp(`/v1/rooms/${ROOM}/flash-sales`, { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock, perUserLimit: Math.min(1000, Math.ceil((2 * options.rate * options.seconds) / options.buyers)) });
    await setUp(`/v1/rooms/${ROOM}/flash-sales/s/start`);
    const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
    for (let i = 0; i < options.buyers; i++) {
      const client = await connect('ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `buyer${i}` }, secret));
      await client.request('join', { room: ROOM });
      clients.push(client);
    }

    const owner = await ownerOf(cluster, slotOfKey(`{${ROOM}}`));
    const refusals: Record<string, number> = {};
    const before = new Histogram();
    const afterKill = new Histogram();
    const acknowledged = new Set<string>();
    let killedAt = 0;
    const decidedAt: number[] = [];
    let retried = 0;
    let gaveUp = 0;
    let decidedBefore = 0;
    const start = Date.now();
    const taps: Array<Promise<void>> = [];
    const tap = async (n: number) => {
      const client = clients[n % clients.length]!;
      const sent = Date.now();
      for (let attempt = 0; ; attempt++) {
        const reply = await client.request('flash.buy', { room: ROOM, sale: 's', requestId: `t${n}` }).catch((err: Error) => ({ ok: false as const, error: { code: 'socket', message: err.message } }));
        if (reply.ok) {
          const now = Date.now();
          acknowledged.add((reply.data as { order: { id: string } }).order.id);
          if (killedAt && sent >= killedAt) afterKill.record(now - sent);
          else if (!killedAt) {
            before.record(now - sent);
            decidedBefore++;
          }
          decidedAt.push(now);
          if (attempt) retried++;
          return;
        }
        refusals[reply.error.code] = (refusals[reply.error.code] ?? 0) + 1;
        if (Date.now() - sent > GIVE_UP_MS) {
          gaveUp++;
          return;
        }
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    };
    const total = Math.round(options.rate * options.seconds);
    for (let n = 0; n < total; n++) {
      const due = start + (n * 1000) / options.rate;
      if (!killedAt && due - start >= options.killAt * 1000) {
        killedAt = Date.now();
        await cluster.kill(owner);
      }
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      taps.push(tap(n));
    }
    await Promise.all(taps);

    // What is there now: each acknowledged order, and the sale's counter (read until the cluster answers:
    // a read refused `unavailable` says nothing about what was lost).
    const read = async (path: string) => {
      for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 200))) {
        const res = await api('GET', path);
        if (res.status !== 503 || Date.now() > deadline) return res;
      }
    };
    let lost = 0;
    for (const id of acknowledged) if ((await read(`/v1/orders/${id}`)).status !== 200) lost++;
    const saleRead = await read(`/v1/rooms/${ROOM}/flash-sales/s`);
    if (saleRead.status !== 200) throw new Error(`GET the sale after the failover: ${saleRead.status} ${JSON.stringify(saleRead.body)}`);
    const sale = saleRead.body.sale as { sold: number };
    const exported = (await (await fetch(`${http}/v1/orders?room=${ROOM}`, { headers: { authorization: 'Bearer dev-api-key' } })).text()).trim().split('\n').filter(Boolean).length;
    return {
      mode: waitReplicas ? `WAIT ${waitReplicas}` : 'no WAIT (default)',
      taps: total,
      acknowledged: acknowledged.size,
      gaveUp,
      retried,
      refusals,
      decisionsPerSecBefore: Math.round(decidedBefore / options.killAt),
      latencyBefore: { p50: Math.round(before.percentile(50)), p99: Math.round(before.percentile(99)) },
      latencyAfter: { p50: Math.round(afterKill.percentile(50)), p99: Math.round(afterKill.percentile(99)) },
      outageMs: longestGap(decidedAt, killedAt),
      lostAcknowledged: lost,
      soldByCounter: sale.sold,
      ordersFound: exported,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    if (node && node.child.exitCode === null) node.child.kill('SIGTERM');
    await node?.exited;
    await cluster.remove();
  }
}

/** The longest time between two decisions (or from `from` to the first) after `from`. */
function longestGap(times: number[], from: number): number {
  const after = [from, ...times.filter((t) => t > from).sort((a, b) => a - b)];
  return after.reduce((gap, t, i) => (i ? Math.max(gap, t - after[i - 1]!) : gap), 0);
}

/** Every master has its replica attached and in sync, so the drill starts from a healthy cluster. */
async function replicated(cluster: PrivateCluster): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const masters = await cluster.masters();
    const linked = await Promise.all(masters.map(async (port) => {
      const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await redis.connect();
        const info = String(await redis.info('replication'));
        return /connected_slaves:1/.test(info) && /slave0:.*state=online/.test(info);
      } finally {
        redis.disconnect();
      }
    }));
    if (masters.length === 3 && linked.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error('replicas did not come online within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ownerOf(cluster: PrivateCluster, slot: number): Promise<number> {
  const redis = new Redis(cluster.ports[0]!, '127.0.0.1');
  try {
    const slots = (await redis.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    return Number(slots.find(([from, to]) => slot >= from && slot <= to)![2][1]);
  } finally {
    redis.disconnect();
  }
}

const results: Outcome[] = [];
for (const wait of options.waits) {
  console.log(`drill: ${wait ? `WAIT ${wait}` : 'no WAIT'}: ${options.buyers} buyers, ${options.rate} taps/s for ${options.seconds} s, the room's master killed at ${options.killAt} s`);
  results.push(await drill(wait));
}
const row = (label: string, pick: (o: Outcome) => string | number) => `| ${label} | ${results.map((o) => pick(o)).join(' | ')} |`;
console.log(`\n## Failover drill: ${options.buyers} buyers, ${options.rate} taps/s, ${options.seconds} s, master of the room's slot SIGKILLed at ${options.killAt} s\n`);
console.log(`| | ${results.map((o) => o.mode).join(' | ')} |`);
console.log(`|---|${results.map(() => '---:').join('|')}|`);
console.log(row('taps (each retried with its requestId until answered)', (o) => o.taps.toLocaleString('en')));
console.log(row('decisions/s before the kill', (o) => o.decisionsPerSecBefore.toLocaleString('en')));
console.log(row('p50 / p99 ms before the kill', (o) => `${o.latencyBefore.p50} / ${o.latencyBefore.p99}`));
console.log(row('p50 / p99 ms of taps sent after the kill', (o) => `${o.latencyAfter.p50} / ${o.latencyAfter.p99}`));
console.log(row('longest stretch without a decision after the kill, ms', (o) => o.outageMs));
console.log(row('refusals seen by clients', (o) => Object.entries(o.refusals).map(([c, n]) => `${c} ${n}`).join(', ') || '0'));
console.log(row('taps answered only after a retry', (o) => o.retried));
console.log(row('taps given up after 30 s', (o) => o.gaveUp));
console.log(row('orders acknowledged to buyers', (o) => o.acknowledged));
console.log(row('**acknowledged orders lost**', (o) => `**${o.lostAcknowledged}**`));
console.log(row('units sold (counter) · orders found', (o) => `${o.soldByCounter} · ${o.ordersFound}`));
const file = new URL(`../results/failover-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify({ options, results }, null, 2)}\n`);
console.log(`\nresults: ${file.pathname}`);
