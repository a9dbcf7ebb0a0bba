/** A flash-sale storm and coupon claims split across two Roomcast processes on one Redis. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const prefix = uniquePrefix();
const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
let nodes: NodeProcess[] = [];
const clients: TestClient[] = [];
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

async function viewer(node: NodeProcess, i: number, claims: Record<string, unknown> = {}): Promise<TestClient> {
  const client = await connect(i % 2 ? 'socket.io' : 'ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `v${i}`, ...claims }, secret));
  clients.push(client);
  assert.equal((await client.request('join', { room: 'duo' })).ok, true);
  return client;
}

before(async () => {
  const env = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix };
  nodes = await Promise.all(['a', 'b'].map((id) => spawnNode({ ...env, NODE_ID: id })));
  assert.equal((await api(nodes[0]!, 'POST', '/v1/rooms', { id: 'duo', title: 'Two nodes' })).status, 201);
});

after(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  for (const node of nodes) node.child.kill('SIGTERM');
  await Promise.all(nodes.map((n) => n.exited));
  await deletePrefix(prefix);
});

test('600 buyers over two nodes for stock 50: exactly 50 orders; repeats answer the same order on either node', async () => {
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  assert.equal((await api(a, 'POST', '/v1/rooms/duo/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 50 })).status, 201);
  const buyers = await Promise.all(Array.from({ length: 600 }, (_, i) => viewer(i < 300 ? a : b, i)));
  assert.equal((await api(b, 'POST', '/v1/rooms/duo/flash-sales/s/start')).status, 200);
  const replies = await Promise.all(buyers.map((c, i) => c.request('flash.buy', { room: 'duo', sale: 's', requestId: `r${i}` })));
  assert.equal(replies.filter((r) => r.ok).length, 50);
  assert.ok(replies.every((r) => r.ok || r.error.code === 'sold_out'));
  for (const c of buyers) await c.waitFor(() => c.state()['flash:s:left'] === 0 && c.events('flash.soldout').length === 1, 'left 0 and sold out on both nodes');
  const sale = (await api(a, 'GET', '/v1/rooms/duo/flash-sales/s')).body.sale;
  assert.deepEqual([sale.left, sale.sold], [0, 50]);

  const winner = replies.findIndex((r) => r.ok);
  const elsewhere = await viewer(winner < 300 ? b : a, winner);
  assert.deepEqual(await elsewhere.request('flash.buy', { room: 'duo', sale: 's', requestId: `r${winner}` }), replies[winner], 'the same request on the other node');
});

test('80 claims over two nodes for 30 coupons: exactly 30', async () => {
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  assert.equal((await api(a, 'POST', '/v1/rooms/duo/coupons', { id: 'c30', title: '5 off', value: 500, quantity: 30 })).status, 201);
  const fans = await Promise.all(Array.from({ length: 80 }, (_, i) => viewer(i % 2 ? a : b, 1000 + i)));
  assert.equal((await api(b, 'POST', '/v1/rooms/duo/coupons/c30/pop')).status, 200);
  const replies = await Promise.all(fans.map((c, i) => c.request('coupon.claim', { room: 'duo', coupon: 'c30', requestId: `c${i}` })));
  assert.equal(replies.filter((r) => r.ok).length, 30);
  assert.equal((await api(b, 'GET', '/v1/rooms/duo/coupons/c30')).body.coupon.issued, 30);
});
