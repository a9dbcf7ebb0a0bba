/**
 * One process per core (WORKERS=N), started as users start it: the workers share the node's ports,
 * a storm split over two workers of one node and one more node sells exactly the stock, a worker
 * that dies is restarted, SIGTERM drains them all, and the memory engine refuses more than one.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { issueToken, secretKey } from '../auth/token.ts';
import { keyspace } from '../platform/keys.ts';
import { connect, waitFor, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';
import { freePort } from '../testing/redis-server.ts';

const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});
const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

/** The worker processes of a multi-worker node: its primary's children, from /proc. */
async function workerPids(node: NodeProcess): Promise<number[]> {
  const { readFileSync, readdirSync } = await import('node:fs');
  const pid = node.child.pid!;
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));
}

test('600 buyers on two workers of one node and on one more node, for stock 50: exactly 50 orders, one each', async () => {
  const prefix = uniquePrefix();
  cleanups.push(() => deletePrefix(prefix));
  const env = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix };
  const [port, httpPort] = [await freePort(), await freePort()];
  const pair = await spawnNode({ ...env, NODE_ID: 'pair', WORKERS: '2', PORT: String(port), HTTP_PORT: String(httpPort) }, {}, 2);
  const solo = await spawnNode({ ...env, NODE_ID: 'solo' });
  for (const node of [pair, solo]) {
    cleanups.push(async () => {
      node.child.kill('SIGKILL');
      await node.exited;
    });
  }
  assert.equal((await workerPids(pair)).length, 2, 'two workers under the primary');
  assert.equal((await api(pair, 'POST', '/v1/rooms', { id: 'cores', title: 'two workers' })).status, 201);
  assert.equal((await api(pair, 'POST', '/v1/rooms/cores/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 50 })).status, 201);

  const buyers: TestClient[] = await Promise.all(Array.from({ length: 600 }, async (_, i) => {
    const node = i < 400 ? pair : solo;
    const client = await connect(i % 3 ? 'ws' : 'socket.io', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `c${i}` }, secret));
    cleanups.push(() => client.close());
    assert.equal((await client.request('join', { room: 'cores' })).ok, true);
    return client;
  }));
  // Each worker reports its own viewers: the kernel spread the pair's sockets over both.
  const redis = new Redis(testRedisUrl());
  cleanups.push(async () => redis.disconnect());
  const online = await waitFor(async () => {
    const counts = await redis.hgetall(keyspace(prefix).roomOnline('cores'));
    return Object.keys(counts).length === 3 && counts;
  }, 'presence from pair-w0, pair-w1 and solo');
  assert.deepEqual(Object.keys(online).sort(), ['pair-w0', 'pair-w1', 'solo']);
  for (const worker of ['pair-w0', 'pair-w1']) assert.ok(Number(online[worker]!.split(':')[0]) > 0, `${worker} holds viewers`);

  assert.equal((await api(solo, 'POST', '/v1/rooms/cores/flash-sales/s/start')).status, 200);
  const replies = await Promise.all(buyers.map((b) => b.request('flash.buy', { room: 'cores', sale: 's', requestId: 'go' })));
  const ok = replies.filter((r) => r.ok);
  assert.equal(ok.length, 50);
  assert.ok(replies.every((r) => r.ok || r.error.code === 'sold_out'), [...new Set(replies.map((r) => (r.ok ? 'ok' : r.error.code)))].join());
  assert.equal(new Set(ok.map((r) => (r.data as { order: { id: string } }).order.id)).size, 50, 'one order each');
  const { sale } = (await api(pair, 'GET', '/v1/rooms/cores/flash-sales/s')).body;
  assert.deepEqual([sale.left, sale.sold], [0, 50]);
  for (const b of buyers) await b.waitFor(() => b.state()['flash:s:left'] === 0, 'every worker and node shows 0 left');
});

test('a worker that dies is restarted; SIGTERM drains every worker and exits 0', async () => {
  const prefix = uniquePrefix();
  cleanups.push(() => deletePrefix(prefix));
  const [port, httpPort] = [await freePort(), await freePort()];
  const node = await spawnNode({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, NODE_ID: 'crashy', WORKERS: '2', PORT: String(port), HTTP_PORT: String(httpPort) }, {}, 2);
  cleanups.push(async () => {
    node.child.kill('SIGKILL');
    await node.exited;
  });
  const [victim] = await workerPids(node);
  process.kill(victim!, 'SIGKILL');
  await waitFor(() => node.output().includes('worker died; restarting it'), 'the primary notices', 10_000);
  const replaced = await waitFor(async () => {
    const pids = await workerPids(node);
    return pids.length === 2 && !pids.includes(victim!) && pids;
  }, 'a new worker in its place', 15_000);
  await waitFor(() => node.output().split('\n').filter((l) => l.includes('listening')).length >= 3, 'the new worker listens', 15_000);
  assert.equal((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status, 200);

  const client = await connect('ws', `ws://127.0.0.1:${port}`, await issueToken({ sub: 'stays' }, secret));
  assert.equal((await client.request('join', { room: 'demo' })).ok, true);
  node.child.kill('SIGTERM');
  assert.equal((await client.closed).code, 1001, 'its socket closed as the node drains');
  assert.deepEqual(await node.exited, { code: 0, signal: null });
  await sleep(100);
  for (const pid of replaced) assert.throws(() => process.kill(pid, 0), 'no worker left running');
});

test('WORKERS above 1 on the memory engine is refused, saying why', async () => {
  const [port, httpPort] = [await freePort(), await freePort()];
  await assert.rejects(spawnNode({ WORKERS: '2', PORT: String(port), HTTP_PORT: String(httpPort) }), /needs the redis engine \(REDIS_URL or REDIS_CLUSTER\)/);
});
