/**
 * Redis dies in the middle of a storm's batches and comes back from its append-only file: every
 * buy answered ok is there, nothing is sold twice, and a retry of each tap (the same requestId, as
 * a client does after `unavailable` or a lost answer) answers what was decided, never a second order.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { OpResult } from '../../core/session.ts';
import { waitFor } from '../../testing/clients.ts';
import { names, startTestNode, uniquePrefix, type TestNode } from '../../testing/node.ts';
import { PrivateRedis } from '../../testing/redis-server.ts';
import { flashKeys } from './store.ts';
import { keyspace } from '../../platform/keys.ts';

const STOCK = 100;
const BUYERS = 400;
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

test('Redis SIGKILLed while batches are in flight: acknowledged buys survive, nothing is doubled, retries answer the same', async (t) => {
  const redis = await PrivateRedis.start({ aof: true });
  cleanups.push(() => redis.remove());
  const prefix = uniquePrefix();
  // A wider window makes batches of many taps, so the kill lands among them.
  const node: TestNode = await startTestNode({ engine: 'redis', prefix, config: { redis: { url: redis.url, prefix }, commerce: { batchWindowMs: 5 } } });
  cleanups.push(() => node.close());
  assert.equal((await node.api('POST', '/v1/rooms', { id: 'rr', title: 'restart' })).status, 201);
  assert.equal((await node.api('POST', '/v1/rooms/rr/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: STOCK })).status, 201);
  const buyers = await node.viewers('ws', 'rr', names('rr', BUYERS));
  assert.equal((await node.api('POST', '/v1/rooms/rr/flash-sales/s/start')).status, 200);

  const first: Array<OpResult | undefined> = new Array(BUYERS);
  let [sent, answered] = [0, 0];
  const taps = buyers.map(async (buyer, i) => {
    await sleep((i * 1500) / BUYERS);
    sent++;
    first[i] = await buyer.request('flash.buy', { room: 'rr', sale: 's', requestId: 'tap' }).catch(() => undefined);
    answered++;
  });
  await waitFor(() => first.filter((r) => r?.ok).length >= 30, '30 buys acknowledged');
  const inFlight = sent - answered;
  await redis.stop();
  t.diagnostic(`killed with ${answered} of ${BUYERS} taps answered and ${inFlight} in flight`);
  assert.ok(answered < BUYERS && inFlight > 0, 'the kill comes mid-storm, with taps waiting for their batch');
  await sleep(300);
  await redis.restart();
  await Promise.all(taps);

  const tally: Record<string, number> = {};
  for (const r of first) tally[r === undefined ? 'no answer' : r.ok ? 'ok' : r.error.code] = (tally[r === undefined ? 'no answer' : r.ok ? 'ok' : r.error.code] ?? 0) + 1;
  t.diagnostic(`first answers: ${JSON.stringify(tally)}`);
  const codes = new Set(Object.keys(tally));
  assert.ok([...codes].every((c) => ['ok', 'sold_out', 'unavailable', 'no answer'].includes(c)), [...codes].join());
  // Every buyer asks again with the same requestId: a decided tap answers as decided.
  const again = await Promise.all(buyers.map((b) => b.request('flash.buy', { room: 'rr', sale: 's', requestId: 'tap' })));
  first.forEach((reply, i) => {
    if (reply?.ok) assert.deepEqual(again[i], reply, `buyer ${i}'s acknowledged order is there and answered the same`);
  });
  const orders = again.filter((r) => r.ok).map((r) => (r.data as { order: { id: string } }).order.id);
  assert.equal(orders.length, STOCK, 'the stock sold');
  assert.equal(new Set(orders).size, STOCK, 'one order each');
  assert.ok(again.every((r) => r.ok || r.error.code === 'sold_out'), 'after the restart every tap is decided');

  const { sale } = (await node.api('GET', '/v1/rooms/rr/flash-sales/s')).body;
  assert.deepEqual([sale.left, sale.sold], [0, STOCK]);
  const direct = new Redis(redis.url);
  cleanups.push(async () => direct.disconnect());
  const held = await direct.hgetall(flashKeys(keyspace(prefix)).buyers('rr', 's'));
  assert.equal(Object.keys(held).length, STOCK);
  assert.ok(Object.values(held).every((units) => units === '1'), 'one unit per buyer in Redis');
});
