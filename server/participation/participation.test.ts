/**
 * Participation events reach the brand's CRM (a fake speaking the real wire format: signed JSON
 * lines over HTTP): each once by id, a 5xx retried until the receiver answers, a 4xx kept in the
 * dead letters and never sent again; and across a node's kill -9, every event still arrives.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FakeBrand } from '../../load/fake-brand/brand.ts';
import { issueToken, secretKey } from '../auth/token.ts';
import { connect, waitFor, type TestClient } from '../testing/clients.ts';
import { callApi, deletePrefix, engines, names, startTestNode, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';

const SECRET = 'crm-secret-for-tests';
const fast = { everyMs: 50, retryBaseMs: 50, retryMaxMs: 200 };
const BATCH = 20;
const sale = { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 10 };

for (const engine of engines) {
  describe(`participation events to the CRM webhook (${engine})`, () => {
    test('each event once by id, signed; a 5xx retried until answered; a 4xx dead-lettered and not sent again', async () => {
      const brand = await FakeBrand.start({ secret: SECRET });
      const node = await startTestNode({ engine, config: { crm: { url: brand.crmUrl, secret: SECRET, batchSize: BATCH }, participation: fast } });
      try {
        await node.api('POST', '/v1/rooms', { id: 'crm', title: 'crm' });
        await node.api('POST', '/v1/rooms/crm/flash-sales', sale);
        await node.api('POST', '/v1/rooms/crm/coupons', { id: 'c', title: '10 off', value: 1000, quantity: 100 });
        await node.api('POST', '/v1/rooms/crm/coupons/c/pop');
        brand.failNext(503, 3);
        const viewers = await node.viewers('ws', 'crm', names('v', 30));
        await node.api('POST', '/v1/rooms/crm/flash-sales/s/start');
        const buys = await Promise.all(viewers.map((v) => v.request('flash.buy', { room: 'crm', sale: 's', requestId: 'tap' })));
        const claims = await Promise.all(viewers.slice(0, 5).map((v) => v.request('coupon.claim', { room: 'crm', coupon: 'c', requestId: 'claim' })));
        const orders = buys.filter((r) => r.ok).map((r) => (r.data as { order: { id: string } }).order.id);
        assert.equal(orders.length, sale.stock);
        assert.ok(claims.every((r) => r.ok));

        await waitFor(() => brand.received().length === 30 + sale.stock + 5, 'every event at the CRM', 15_000);
        assert.ok(brand.attempts > 3, 'the 503s were retried');
        assert.deepEqual(new Set(brand.received('viewer.joined').map((e) => e.user)), new Set(names('v', 30)));
        assert.deepEqual(new Set(brand.received('order.reserved').map((e) => e.id)), new Set(orders.map((id) => `order.reserved:${id}`)));
        assert.equal(brand.received('coupon.claimed').length, 5);
        const reserved = brand.received('order.reserved')[0]!;
        assert.equal(reserved.room, 'crm');
        assert.equal(typeof reserved.at, 'number');
        assert.equal(brand.duplicates, 0, 'no event twice');
        assert.equal(brand.badSignatures, 0);

        // A receiver refusing a batch for good: the events are kept for an operator, never retried.
        brand.failNext(400, 1);
        await node.viewers('socket.io', 'crm', ['late']);
        const dead = await waitFor(async () => {
          const { body } = await node.api('GET', '/v1/participation/dead?sink=crm');
          return (body.deadLetters as Array<{ status: number; events: Array<{ id: string; user: string }> }>).length ? body.deadLetters : undefined;
        }, 'the refused batch among the dead letters');
        assert.equal(dead[0].status, 400);
        assert.deepEqual(dead[0].events.map((e: { user: string }) => e.user), ['late']);
        const attempts = brand.attempts;
        await node.viewers('ws', 'crm', ['later']);
        await waitFor(() => brand.received('viewer.joined').some((e) => e.user === 'later'), 'the next event delivered');
        assert.equal(brand.attempts, attempts + 1, 'the refused batch was not sent again');
        assert.ok(!brand.received('viewer.joined').some((e) => e.user === 'late'), 'the refused event was not delivered');

        // The receiver fixed, an operator sends the dead letters again: delivered once, and gone from the dead letters.
        assert.deepEqual((await node.api('POST', '/v1/participation/dead/replay?sink=crm')).body, { replayed: 1 });
        await waitFor(() => brand.received('viewer.joined').some((e) => e.user === 'late'), 'the replayed event delivered');
        assert.deepEqual((await node.api('GET', '/v1/participation/dead?sink=crm')).body, { deadLetters: [] });
        assert.deepEqual((await node.api('POST', '/v1/participation/dead/replay?sink=crm')).body, { replayed: 0 }, 'nothing twice');
        assert.equal(brand.duplicates, 0, 'the replayed event once');
        assert.equal((await node.api('POST', '/v1/participation/dead/replay?sink=nope')).status, 400);

        // Two replays sent together: however they interleave, the events go back once (received() keeps one per id, so the duplicates count is what tells).
        brand.failNext(400, 1);
        await node.viewers('ws', 'crm', ['late2']);
        await waitFor(async () => (await node.api('GET', '/v1/participation/dead?sink=crm')).body.deadLetters.length || undefined, 'a second dead letter');
        const replays = await Promise.all([1, 2].map(() => node.api('POST', '/v1/participation/dead/replay?sink=crm')));
        // Either the second read an empty list, or it read the same letters and found them moved.
        const answers = replays.map((r) => (r.status === 200 ? `replayed ${r.body.replayed}` : `${r.status} ${r.body.error?.code}`)).sort().join(', ');
        assert.ok(['replayed 0, replayed 1', '409 already_done, replayed 1'].includes(answers), answers);
        await waitFor(() => brand.received('viewer.joined').some((e) => e.user === 'late2'), 'the replayed event delivered');
        assert.equal(brand.duplicates, 0, 'no event sent twice');

        assert.equal((await node.api('GET', '/v1/participation/dead?sink=nope')).status, 400);
      } finally {
        await node.close();
        await brand.close();
      }
    });

    test('a long outage: 120 dead letters replayed in steps, every event delivered once', async () => {
      const brand = await FakeBrand.start({ secret: SECRET });
      const node = await startTestNode({ engine, config: { crm: { url: brand.crmUrl, secret: SECRET, batchSize: 1 }, participation: fast } });
      try {
        await node.api('POST', '/v1/rooms', { id: 'outage', title: 'outage' });
        brand.failNext(400, 120);
        const crowd = names('o', 120);
        await node.viewers('ws', 'outage', crowd);
        await waitFor(async () => (await node.api('GET', '/v1/participation/dead?sink=crm')).body.deadLetters.length === 120 || undefined, '120 dead letters', 15_000);
        assert.deepEqual((await node.api('POST', '/v1/participation/dead/replay?sink=crm')).body, { replayed: 120 });
        assert.deepEqual((await node.api('GET', '/v1/participation/dead?sink=crm')).body, { deadLetters: [] });
        await waitFor(() => brand.received('viewer.joined').length === 120 || undefined, 'every replayed event delivered', 15_000);
        assert.deepEqual(new Set(brand.received('viewer.joined').map((e) => e.user)), new Set(crowd));
        assert.equal(brand.duplicates, 0);
      } finally {
        await node.close();
        await brand.close();
      }
    });
  });
}

describe('participation events across a node kill -9 (redis, two nodes)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });
  const secret = secretKey('dev-jwt-secret-do-not-use-in-production');
  const api = (node: NodeProcess, method: string, path: string, body?: unknown) => callApi(`http://127.0.0.1:${node.ports.http}`, 'dev-api-key', method, path, body);

  test('every event arrives by id; at most one batch twice', async () => {
    const prefix = uniquePrefix();
    cleanups.push(() => deletePrefix(prefix));
    const brand = await FakeBrand.start({ secret: SECRET });
    cleanups.push(() => brand.close());
    const start = async (id: string) => {
      const node = await spawnNode({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, NODE_ID: id, CRM_WEBHOOK_URL: brand.crmUrl, CRM_WEBHOOK_SECRET: SECRET }, { crm: { batchSize: BATCH }, participation: fast });
      cleanups.push(async () => {
        node.child.kill('SIGKILL');
        await node.exited;
      });
      return node;
    };
    const [a, b] = await Promise.all([start('a'), start('b')]);
    assert.equal((await api(a, 'POST', '/v1/rooms', { id: 'kill', title: 'kill' })).status, 201);
    assert.equal((await api(a, 'POST', '/v1/rooms/kill/flash-sales', { ...sale, stock: 300 })).status, 201);
    assert.equal((await api(a, 'POST', '/v1/rooms/kill/flash-sales/s/start')).status, 200);

    // Viewers keep joining and buying on both nodes while node a is killed mid-way.
    const VIEWERS = 400;
    const joined: string[] = [];
    const orders: string[] = [];
    let killed = false;
    const viewers = Array.from({ length: VIEWERS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 4));
      const node = i % 2 && !killed ? a : b;
      let client: TestClient | undefined;
      try {
        client = await connect('ws', `ws://127.0.0.1:${node.ports.realtime}`, await issueToken({ sub: `k${i}` }, secret));
        if (!(await client.request('join', { room: 'kill' })).ok) return;
        joined.push(`k${i}`);
        const reply = await client.request('flash.buy', { room: 'kill', sale: 's', requestId: 'tap' });
        if (reply.ok) orders.push((reply.data as { order: { id: string } }).order.id);
      } catch {
        // A viewer on the killed node: its answer, if any, was lost with it.
      } finally {
        await client?.close();
      }
    });
    await waitFor(() => brand.received().length >= 100, 'events flowing before the kill', 20_000);
    killed = true;
    assert.ok(joined.length < VIEWERS, `the kill comes mid-way (${joined.length} of ${VIEWERS} joined)`);
    a.child.kill('SIGKILL');
    await a.exited;
    await Promise.all(viewers);

    const { sold } = (await api(b, 'GET', '/v1/rooms/kill/flash-sales/s')).body.sale as { sold: number };
    await waitFor(() => {
      const users = new Set(brand.received('viewer.joined').map((e) => e.user));
      return brand.received('order.reserved').length === sold && joined.every((u) => users.has(u));
    }, `all ${sold} reservations and ${joined.length} joins at the CRM`, 30_000);
    const reserved = new Set(brand.received('order.reserved').map((e) => e.id));
    for (const id of orders) assert.ok(reserved.has(`order.reserved:${id}`), `acknowledged order ${id} reached the CRM`);
    assert.ok(brand.duplicates <= BATCH, `at most one batch twice (${brand.duplicates} events came twice)`);
    assert.equal(brand.badSignatures, 0);
  });
});
