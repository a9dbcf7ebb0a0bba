/**
 * Nothing reserved is lost when a node dies: a Roomcast process is SIGKILLed in the middle of a
 * flash-sale storm, another takes over on the same Redis, and every reservation the dead one made
 * reaches the mall exactly once, through BullMQ jobs that outlived it or through the sweep.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, waitFor, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const prefixes: string[] = [];
const nodes: NodeProcess[] = [];
const clients: TestClient[] = [];
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  for (const node of nodes) node.child.kill('SIGKILL');
  await Promise.all(nodes.map((n) => n.exited));
  await Promise.all(prefixes.map((p) => deletePrefix(p)));
});

async function start(prefix: string, mall: FakeMall | undefined, id: string): Promise<NodeProcess> {
  const node = await spawnNode(
    { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, NODE_ID: id },
    { mall: { ...(mall ? { url: mall.url } : {}), retryBaseMs: 50, attempts: 30, sweepEveryMs: 300, sweepGraceMs: 1000 } },
  );
  nodes.push(node);
  return node;
}

/** 600 buyers tap over 1.2 s for 500 units; the node is SIGKILLed once 30 of them have their order. */
async function stormThenKill(node: NodeProcess): Promise<void> {
  assert.equal((await api(node, 'POST', '/v1/rooms', { id: 'crash', title: 'crash' })).status, 201);
  assert.equal((await api(node, 'POST', '/v1/rooms/crash/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 500 })).status, 201);
  const buyers = await Promise.all(Array.from({ length: 600 }, async (_, i) => {
    const client = await connect('ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `crash${i}` }, secret));
    clients.push(client);
    assert.equal((await client.request('join', { room: 'crash' })).ok, true);
    return client;
  }));
  assert.equal((await api(node, 'POST', '/v1/rooms/crash/flash-sales/s/start')).status, 200);
  let answered = 0;
  const taps = buyers.map(async (b, i) => {
    await new Promise((r) => setTimeout(r, i * 2));
    await b.request('flash.buy', { room: 'crash', sale: 's', requestId: 'tap' }).then((r) => r.ok && answered++, () => undefined);
  });
  await waitFor(() => answered >= 30, '30 orders answered before the kill', 30_000);
  node.child.kill('SIGKILL');
  await node.exited;
  await Promise.all(taps);
}

/** Every reservation in Redis is in the mall, once, and submitted. */
async function assertAllSettled(node: NodeProcess, mall: FakeMall): Promise<void> {
  const { sold } = (await api(node, 'GET', '/v1/rooms/crash/flash-sales/s')).body.sale as { sold: number };
  assert.ok(sold >= 30 && sold < 500, `the node died mid-storm, having reserved ${sold} of 500`);
  await waitFor(() => mall.orders.size === sold, `all ${sold} orders in the mall`, 60_000);
  const ids = [...mall.orders.keys()];
  await waitFor(async () => {
    const states = await Promise.all(ids.map(async (id) => (await api(node, 'GET', `/v1/orders/${id}`)).body.order?.state));
    return states.every((s) => s === 'submitted');
  }, 'every order in the mall is ours and submitted', 30_000);
  assert.equal(new Set([...mall.orders.values()].map((o) => o.mallOrderId)).size, sold, 'one mall order per reservation');
}

test('a node SIGKILLed mid-storm while the mall is down: its jobs outlive it and another node settles every order once', async () => {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const mall = await FakeMall.start({ secret: 'dev-mall-secret', failureRate: 0.3 });
  try {
    mall.setDown(true);
    await stormThenKill(await start(prefix, mall, 'doomed'));
    const heir = await start(prefix, mall, 'heir');
    mall.setDown(false);
    await assertAllSettled(heir, mall);
  } finally {
    await mall.close();
  }
});

test('reservations that never got a settle job (their node had no mall, then died) are swept into the mall', async () => {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const mall = await FakeMall.start({ secret: 'dev-mall-secret', failureRate: 0.3 });
  try {
    await stormThenKill(await start(prefix, undefined, 'no-mall'));
    await assertAllSettled(await start(prefix, mall, 'sweeper'), mall);
  } finally {
    await mall.close();
  }
});
