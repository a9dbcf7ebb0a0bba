/**
 * Nothing reserved is lost or doubled whatever crashes, mid flash-sale storm: a Roomcast node
 * (SIGKILL, then restarted), Redis itself (SIGKILL, AOF on), or a node that never added its jobs.
 * Afterwards: units taken from stock == orders in the mall, every order acknowledged to a buyer is
 * among them, and the mall holds each once; and the room's figures, counted in the same steps,
 * add up to the same orders (reserved, submitted, GMV).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, waitFor, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';
import { PrivateRedis } from '../testing/redis-server.ts';

const STOCK = 500;
const BUYERS = 600;
const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const cleanups: Array<() => Promise<unknown>> = [];
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function withMall(): Promise<FakeMall> {
  const mall = await FakeMall.start({ secret: 'dev-mall-secret', failureRate: 0.3 });
  cleanups.push(() => mall.close());
  return mall;
}

async function start(redisUrl: string, prefix: string, mall: FakeMall | undefined, id: string): Promise<NodeProcess> {
  const node = await spawnNode(
    { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, NODE_ID: id },
    { mall: { ...(mall ? { url: mall.url } : {}), retryBaseMs: 50, retryMaxMs: 1000, attempts: 30, sweepEveryMs: 300, sweepGraceMs: 1000 } },
  );
  cleanups.push(async () => {
    node.child.kill('SIGKILL');
    await node.exited;
  });
  return node;
}

async function saleOn(node: NodeProcess): Promise<void> {
  assert.equal((await api(node, 'POST', '/v1/rooms', { id: 'crash', title: 'crash' })).status, 201);
  assert.equal((await api(node, 'POST', '/v1/rooms/crash/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: STOCK })).status, 201);
}

async function buyersOn(nodes: NodeProcess[]): Promise<TestClient[]> {
  return Promise.all(Array.from({ length: BUYERS }, async (_, i) => {
    const node = nodes[i % nodes.length]!;
    const client = await connect(i % 2 ? 'socket.io' : 'ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `crash${i}` }, secret));
    cleanups.push(() => client.close());
    assert.equal((await client.request('join', { room: 'crash' })).ok, true);
    return client;
  }));
}

/**
 * Every buyer taps once, spread over `spreadMs` so the crash lands mid-storm; `crash` runs once 30
 * orders are acknowledged. Resolves with the acknowledged order ids once every tap has its end.
 */
async function storm(node: NodeProcess, buyers: TestClient[], spreadMs: number, crash: () => Promise<void>): Promise<string[]> {
  assert.equal((await api(node, 'POST', '/v1/rooms/crash/flash-sales/s/start')).status, 200);
  const acknowledged: string[] = [];
  let sent = 0;
  const taps = buyers.map(async (b, i) => {
    await new Promise((r) => setTimeout(r, (i * spreadMs) / buyers.length));
    sent++;
    const reply = await b.request('flash.buy', { room: 'crash', sale: 's', requestId: 'tap' }).catch(() => undefined);
    if (reply?.ok) acknowledged.push((reply.data as { order: { id: string } }).order.id);
  });
  await waitFor(() => acknowledged.length >= 30, '30 orders acknowledged before the crash', 30_000);
  assert.ok(sent < buyers.length, `the crash comes mid-storm (${sent} of ${buyers.length} taps sent)`);
  await crash();
  await Promise.all(taps);
  return acknowledged;
}

async function assertAllSettled(node: NodeProcess, mall: FakeMall, acknowledged: string[]): Promise<void> {
  const { sold, left } = (await api(node, 'GET', '/v1/rooms/crash/flash-sales/s')).body.sale as { sold: number; left: number };
  assert.equal(sold + left, STOCK, 'units taken from stock are the units reserved');
  assert.ok(sold >= acknowledged.length, `${sold} reserved, ${acknowledged.length} acknowledged`);
  await waitFor(() => mall.orders.size === sold, `all ${sold} reserved orders in the mall`, 90_000);
  for (const id of acknowledged) assert.ok(mall.orders.has(id), `acknowledged order ${id} is in the mall`);
  assert.equal(new Set([...mall.orders.values()].map((o) => o.mallOrderId)).size, sold, 'one mall order per reservation');
  const ids = [...mall.orders.keys()];
  await waitFor(async () => {
    const states = await Promise.all(ids.map(async (id) => (await api(node, 'GET', `/v1/orders/${id}`)).body.order?.state));
    return states.every((s) => s === 'submitted');
  }, 'every order in the mall is ours and submitted', 30_000);
  const { figures } = (await api(node, 'GET', '/v1/rooms/crash/figures')).body;
  assert.deepEqual(
    { reserved: figures.orders.reserved, submitted: figures.orders.submitted, gmv: figures.gmv.reserved, buyers: figures.funnel.reserved },
    { reserved: sold, submitted: sold, gmv: sold * 90, buyers: sold },
    'the figures count each reservation and each push once, whatever crashed',
  );
}

test('two nodes, one SIGKILLed mid-storm while the mall is down and restarted: every reservation reaches the mall once', async () => {
  const prefix = uniquePrefix();
  cleanups.push(() => deletePrefix(prefix));
  const mall = await withMall();
  const [a, b] = await Promise.all([start(testRedisUrl(), prefix, mall, 'a'), start(testRedisUrl(), prefix, mall, 'b')]);
  await saleOn(a!);
  const buyers = await buyersOn([a!, b!]);
  mall.setDown(true);
  const acknowledged = await storm(b!, buyers, 1200, async () => {
    a!.child.kill('SIGKILL');
    await a!.exited;
  });
  await start(testRedisUrl(), prefix, mall, 'a');
  mall.setDown(false);
  await assertAllSettled(b!, mall, acknowledged);
});

test('Redis SIGKILLed mid-storm and restarted from its AOF: nothing acknowledged is lost, nothing oversold, all settled once', async () => {
  const redis = await PrivateRedis.start({ aof: true });
  cleanups.push(() => redis.remove());
  const mall = await withMall();
  const node = await start(redis.url, uniquePrefix(), mall, 'solo');
  await saleOn(node);
  const buyers = await buyersOn([node]);
  const acknowledged = await storm(node, buyers, 2000, async () => {
    await redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart();
  });
  await assertAllSettled(node, mall, acknowledged);
});

test('reservations that never got a settle job (their node had no mall, then died) are swept into the mall', async () => {
  const prefix = uniquePrefix();
  cleanups.push(() => deletePrefix(prefix));
  const mall = await withMall();
  const doomed = await start(testRedisUrl(), prefix, undefined, 'no-mall');
  await saleOn(doomed);
  const acknowledged = await storm(doomed, await buyersOn([doomed]), 1200, async () => {
    doomed.child.kill('SIGKILL');
    await doomed.exited;
  });
  await assertAllSettled(await start(testRedisUrl(), prefix, mall, 'sweeper'), mall, acknowledged);
});
