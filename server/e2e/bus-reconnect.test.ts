/**
 * A node's bus connection to Redis cut (CLIENT KILL) while critical events and state are published:
 * once it is back, its viewers get every event they missed, in order and once, and the latest state.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { deletePrefix, startTestNode, testRedisUrl, uniquePrefix, type TestNode } from '../testing/node.ts';

let node: TestNode;
let redis: Redis;
const prefix = uniquePrefix();

before(async () => {
  node = await startTestNode({ engine: 'redis', prefix });
  redis = new Redis(testRedisUrl());
});
after(async () => {
  redis.disconnect();
  await node.close();
  await deletePrefix(prefix);
});

/** Kills this node's bus connection (its name carries our key prefix; other tests' nodes share the Redis). */
async function killBus(): Promise<void> {
  const list = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  const ids = list.split('\n').filter((line) => line.includes(` name=roomcast:${prefix}:bus `)).map((line) => /id=(\d+)/.exec(line)![1]!);
  assert.equal(ids.length, 1, 'one bus connection for this node');
  await redis.call('CLIENT', 'KILL', 'ID', ids[0]!);
}

test('events and state published while the bus is down reach the viewers once it is back', async () => {
  await node.api('POST', '/v1/rooms', { id: 'gap', title: 'gap' });
  await node.api('POST', '/v1/rooms/gap/start');
  const [viewer] = await node.viewers('ws', 'gap', ['watcher']);
  await node.api('POST', '/v1/rooms/gap/pin', { product: { id: 'p0', title: 'before', price: 1 } });
  await viewer!.waitFor(() => viewer!.events('product.pinned').length === 1, 'the pin before the cut');

  await killBus();
  // Published at once, before ioredis has reconnected (its first retry waits 50 ms).
  for (let i = 1; i <= 5; i++) await node.api('POST', '/v1/rooms/gap/pin', { product: { id: `p${i}`, title: 'in the gap', price: 1 } });
  await node.api('POST', '/v1/rooms/gap/flash-sales', { id: 's', product: { id: 'p9', title: 'Tea', price: 100 }, price: 90, stock: 7 });
  await node.api('POST', '/v1/rooms/gap/flash-sales/s/start');

  await viewer!.waitFor(() => viewer!.events('flash.started').length === 1, 'the sale started in the gap', 10_000);
  const pins = viewer!.events('product.pinned').map((e) => (e.data as { id: string }).id);
  assert.deepEqual(pins, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'], 'every pin, in order, once');
  const seqs = viewer!.events().filter((e) => e.seq !== undefined).map((e) => e.seq!);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length, 'no event twice');
  await viewer!.waitFor(() => viewer!.state()['flash:s:left'] === 7, 'the stock state');

  // Live delivery works again after the catch-up.
  await node.api('POST', '/v1/rooms/gap/pin', { product: { id: 'p6', title: 'after', price: 1 } });
  await viewer!.waitFor(() => viewer!.events('product.pinned').length === 7, 'the pin after the reconnect');
  const metrics = await (await fetch(`${node.adminUrl}/metrics`)).text();
  assert.match(metrics, /roomcast_bus_reconnects_total [1-9]/);
});
