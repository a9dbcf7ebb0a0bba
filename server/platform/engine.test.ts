/** One contract, both engines: what the rest of Roomcast may rely on from any Engine. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomcastError } from '../protocol/errors.ts';
import { waitFor } from '../testing/clients.ts';
import { deletePrefix, engines, testCluster, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import { createLogger } from '../observability/logger.ts';
import type { BusMessage, Engine } from './engine.ts';
import { createMemoryEngine, createRedisEngine } from './engines.ts';
import { dueKey, DueWork } from './scheduler/due-work.ts';

for (const kind of [...engines, 'cluster'] as const) {
  describe(`engine contract: ${kind}`, () => {
    const prefix = uniquePrefix();
    let engine: Engine;
    const received: BusMessage[] = [];

    before(async () => {
      engine = kind === 'memory'
        ? createMemoryEngine({ historySize: 5 })
        : kind === 'cluster'
          ? await createRedisEngine({ cluster: await testCluster(), prefix, historySize: 5 })
          : await createRedisEngine({ url: testRedisUrl(), prefix, historySize: 5 });
      engine.broker.onMessage((m) => received.push(m));
    });
    after(async () => {
      await engine.close();
      if (kind === 'redis') await deletePrefix(prefix);
    });

    test('events get consecutive seqs and reach subscribers in order', async () => {
      await engine.broker.subscribeRoom('r1');
      const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.broker.publishEvent('r1', ['room:r1'], { type: 'e', data: i })));
      assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      const events = await waitFor(() => {
        const got = received.filter((m): m is Extract<BusMessage, { k: 'event' }> => m.k === 'event' && m.room === 'r1');
        return got.length === 20 && got;
      }, '20 events');
      assert.deepEqual(events.map((m) => m.event.seq), Array.from({ length: 20 }, (_, i) => i + 1), 'delivered in seq order');
      assert.equal(await engine.broker.lastSeq('r1'), 20);
    });

    test('history answers what followed a seq, or null once it no longer reaches back', async () => {
      for (let i = 0; i < 3; i++) await engine.broker.publishEvent('h', i % 2 ? ['room:h:tag:vip', 'room:h:tag:new'] : ['room:h'], { type: 'e', data: i });
      const recent = await engine.broker.history('h', 1);
      assert.equal(recent.seq, 3);
      assert.deepEqual(recent.events?.map((e) => [e.seq, e.topics, e.data]), [[2, ['room:h:tag:vip', 'room:h:tag:new'], 1], [3, ['room:h'], 2]]);
      assert.deepEqual((await engine.broker.history('h', 3)).events, []);
      for (let i = 0; i < 200; i++) await engine.broker.publishEvent('h', ['room:h'], { type: 'e', data: i });
      assert.equal((await engine.broker.history('h', 1)).events, null, 'trimmed away');
      assert.equal((await engine.broker.history('h', 9999)).events, null, 'a cursor from the future');
    });

    test('state keeps the latest value; increments add up under concurrency', async () => {
      await engine.broker.publishState('s', 'flash:a:left', 5);
      await engine.broker.publishState('s', 'flash:a:left', 4);
      await Promise.all(Array.from({ length: 50 }, () => engine.broker.incrementState('s', 'likes', 2)));
      assert.deepEqual(await engine.broker.roomState('s'), { 'flash:a:left': 4, likes: 100 });
    });

    test('state and chatter reach subscribed nodes; personal events reach subscribed users only', async () => {
      await engine.broker.subscribeRoom('c');
      await engine.broker.subscribeUser('alice');
      await engine.broker.publishChatter('c', { type: 'comment', data: 'hi' });
      await engine.broker.incrementState('c', 'likes', 7);
      await engine.broker.publishToUser('alice', { type: 'order.update', data: 1 });
      await engine.broker.publishToUser('bob', { type: 'order.update', data: 2 });
      await waitFor(() => received.some((m) => m.k === 'state' && m.room === 'c' && m.value === 7), 'likes 7');
      await waitFor(() => received.some((m) => m.k === 'chatter' && m.room === 'c'), 'chatter');
      await waitFor(() => received.some((m) => m.k === 'user' && m.uid === 'alice'), 'alice');
      await sleep(50);
      assert.ok(!received.some((m) => m.k === 'user' && m.uid === 'bob'));
      await engine.broker.unsubscribeRoom('c');
      await engine.broker.publishChatter('c', { type: 'comment', data: 'after' });
      await sleep(50);
      assert.ok(!received.some((m) => m.k === 'chatter' && m.event.data === 'after'));
    });

    test('presence sums live nodes and forgets a silent one after its ttl', async () => {
      await engine.presence.report('n1', new Map([['p', 3]]), 300);
      const totals = await engine.presence.report('n2', new Map([['p', 4]]), 5000);
      assert.equal(totals.get('p'), 7);
      assert.equal(await engine.presence.count('p'), 7);
      await sleep(350);
      assert.equal((await engine.presence.report('n2', new Map([['p', 4]]), 5000)).get('p'), 4);
      assert.equal(await engine.presence.count('p'), 4);
    });

    test('idempotency: concurrent repeats compute once and share the answer, refusals included', async () => {
      let runs = 0;
      const answers = await Promise.all(Array.from({ length: 25 }, () => engine.idempotency.remember('k1', 10_000, async () => {
        runs++;
        await sleep(30);
        return { order: 'o-1' };
      })));
      assert.equal(runs, 1);
      assert.ok(answers.every((a) => a.order === 'o-1'));
      const refuse = () => engine.idempotency.remember('k2', 10_000, async () => {
        runs++;
        throw new RoomcastError('sold_out', 'gone');
      });
      await assert.rejects(refuse(), { code: 'sold_out' });
      await assert.rejects(refuse(), { code: 'sold_out' });
      assert.equal(runs, 2);
    });

    test('due work: each item runs once across nodes; failed work and unknown kinds come due again after the lease', async () => {
      const log = createLogger('silent');
      const t0 = 1_000_000;
      const ran: string[] = [];
      let failing = true;
      const nodes = [new DueWork(engine.schedule, log), new DueWork(engine.schedule, log)];
      for (const node of nodes) {
        node.on('ok', async (room, id) => void ran.push(`${room}/${id}`));
        node.on('refused', async () => { throw new RoomcastError('already_done', 'made by another node'); });
        node.on('flaky', async (room, id) => {
          ran.push(`flaky ${room}/${id}`);
          if (failing) throw new Error('mall down');
        });
      }
      const keys = [dueKey('ok', 'r', 'a'), dueKey('ok', 'r', 'b'), dueKey('refused', 'r', 'c'), dueKey('flaky', 'r', 'd'), dueKey('newer-kind', 'r', 'e')];
      for (const key of keys) await engine.schedule.at(key, t0);
      await engine.schedule.at(dueKey('ok', 'r', 'later'), t0 + 60_000);

      await Promise.all(nodes.map((node) => node.tick(t0)));
      assert.deepEqual(ran.sort(), ['flaky r/d', 'r/a', 'r/b'], 'each due item once, on one of the nodes');
      const left = async () => (await engine.store.call('ZRANGEBYSCORE', engine.keys.schedule('r'), '-inf', '+inf') as string[]).sort();
      assert.deepEqual(await left(), [dueKey('flaky', 'r', 'd'), dueKey('newer-kind', 'r', 'e'), dueKey('ok', 'r', 'later')].sort(), 'done and refused work is gone; the rest stays');

      await Promise.all(nodes.map((node) => node.tick(t0 + 1000)));
      assert.equal(ran.length, 3, 'nothing is handed out again inside its lease');
      failing = false;
      await Promise.all(nodes.map((node) => node.tick(t0 + 16_000)));
      assert.deepEqual(ran.filter((r) => r.startsWith('flaky')), ['flaky r/d', 'flaky r/d'], 'the failed item ran again once its lease ran out');
      assert.deepEqual(await left(), [dueKey('newer-kind', 'r', 'e'), dueKey('ok', 'r', 'later')].sort(), 'a kind no node here knows is left for one that does');
      await engine.store.call('DEL', engine.keys.schedule('r'));
    });

    test('locks: one holder at a time, renewed past its lease while it works, lapsing after a holder that died', async () => {
      const order: string[] = [];
      const slow = engine.locks.withLock('way', { leaseMs: 150, waitMs: 0 }, async () => {
        order.push('first in');
        await sleep(500);
        order.push('first out');
      });
      await sleep(300);
      await assert.rejects(engine.locks.withLock('way', { leaseMs: 150, waitMs: 0 }, async () => order.push('overlap')), { code: 'unavailable' }, 'still held two leases later');
      await engine.locks.withLock('way', { leaseMs: 150, waitMs: 2000 }, async () => order.push('second in'));
      await slow;
      assert.deepEqual(order, ['first in', 'first out', 'second in']);

      // A holder that died: its lock is there with its lease, and nobody renews it.
      await engine.store.call('SET', engine.keys.lock('dead'), 'gone-node', 'PX', 200);
      const started = Date.now();
      await engine.locks.withLock('dead', { leaseMs: 150, waitMs: 2000 }, async () => order.push('after the dead one'));
      assert.ok(Date.now() - started >= 150, 'waited for the dead holder\'s lease');
      assert.equal(order.at(-1), 'after the dead one');
    });
  });
}
