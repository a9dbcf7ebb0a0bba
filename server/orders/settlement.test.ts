/** Every reserved order reaches the mall, once per order id, though it fails 30% of pushes and is down for a while. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { engines, names, startTestNode, type TestNode } from '../testing/node.ts';

for (const engine of engines) {
  describe(`settlement into the mall on ${engine}`, () => {
    let node: TestNode;
    let mall: FakeMall;

    before(async () => {
      mall = await FakeMall.start({ secret: 'dev-mall-secret', failureRate: 0.3 });
      // Waits capped at a second: with 30% of pushes failing, an unlucky order may need a dozen
      // attempts, which at the default cap (60 s, jittered) would outlast the test.
      node = await startTestNode({ engine, config: { mall: { url: mall.url, timeoutMs: 5000, retryBaseMs: 20, retryMaxMs: 1000, attempts: 30 } } });
    });
    after(async () => {
      await node.close();
      await mall.close();
    });

    test('every reserved order reaches the mall exactly once, and its buyer learns where to pay', async () => {
      await node.api('POST', '/v1/rooms', { id: 'settle', title: 'settle' });
      await node.api('POST', '/v1/rooms/settle/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 40 });
      await node.api('POST', '/v1/rooms/settle/flash-sales/s/start');
      const buyers = await node.viewers('ws', 'settle', names('payer', 40));
      mall.setDown(true);
      const replies = await Promise.all(buyers.map((b) => b.request('flash.buy', { room: 'settle', sale: 's', requestId: 'b' })));
      assert.ok(replies.every((r) => r.ok));
      await new Promise((r) => setTimeout(r, 800));
      mall.setDown(false);
      for (const b of buyers) {
        const update = await b.waitFor(() => b.events('order.update').find((e) => (e.data as any).state === 'submitted'), 'the submitted order', 90_000);
        assert.match((update.data as any).mallPath, /^\/pages\/pay/);
      }
      // A push the mall accepted but answered too slowly is pushed again: the order id makes that
      // safe, so the mall holds each order once, whatever the number of pushes.
      assert.equal(mall.orders.size, 40);
      assert.equal(new Set([...mall.orders.values()].map((o) => o.mallOrderId)).size, 40);
      assert.ok(mall.attempts > 40, 'failures and downtime were retried');
      const ids = replies.map((r) => (r as any).data.order.id as string);
      const states = await Promise.all(ids.map(async (id) => (await node.api('GET', `/v1/orders/${id}`)).body.order.state));
      assert.ok(states.every((s) => s === 'submitted'));
    });
  });

  describe(`a mall shedding load on ${engine}`, () => {
    let node: TestNode;
    let mall: FakeMall;

    before(async () => {
      mall = await FakeMall.start({ secret: 'dev-mall-secret' });
      node = await startTestNode({ engine, config: { mall: { url: mall.url, retryBaseMs: 20, retryMaxMs: 5000, attempts: 5 } } });
      await node.api('POST', '/v1/rooms', { id: 'busy', title: 'busy' });
    });
    after(async () => {
      await node.close();
      await mall.close();
    });

    for (const [status, retryAfter] of [[429, '1'], [408, undefined], [425, undefined], [503, '1']] as const) {
      test(`${status}${retryAfter ? ` with Retry-After: ${retryAfter}` : ''} is retried${retryAfter ? ' no sooner than it says' : ''}, and the order settles`, async () => {
        const sale = `s${status}`;
        await node.api('POST', '/v1/rooms/busy/flash-sales', { id: sale, product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
        await node.api('POST', `/v1/rooms/busy/flash-sales/${sale}/start`);
        const [buyer] = await node.viewers('ws', 'busy', [`buyer-${status}`]);
        mall.setThrottling(status, 1, retryAfter);
        const from = mall.answers.length;
        assert.equal((await buyer!.request('flash.buy', { room: 'busy', sale, requestId: 'b' })).ok, true);
        const update = await buyer!.waitFor(() => buyer!.events('order.update').find((e) => (e.data as any).state === 'submitted'), 'the submitted order', 15_000);
        assert.match((update.data as any).mallPath, /^\/pages\/pay/);
        const [refused, accepted] = mall.answers.slice(from);
        assert.deepEqual([refused!.status, accepted!.status], [status, 200]);
        if (retryAfter) assert.ok(accepted!.at - refused!.at >= Number(retryAfter) * 1000 - 50, `retried after ${accepted!.at - refused!.at} ms`);
      });
    }

    test('any other 4xx is final: pushed once, the order stays reserved for an operator (the failed set)', async () => {
      await node.api('POST', '/v1/rooms/busy/flash-sales', { id: 'gone', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
      await node.api('POST', '/v1/rooms/busy/flash-sales/gone/start');
      const [buyer] = await node.viewers('ws', 'busy', ['buyer-gone']);
      mall.setThrottling(410, 1);
      const from = mall.answers.length;
      const order = ((await buyer!.request('flash.buy', { room: 'busy', sale: 'gone', requestId: 'b' })) as any).data.order.id as string;
      // Retries here come within 20-320 ms (retryBaseMs 20, doubling, 5 attempts): none in a second means none.
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(mall.answers.slice(from).map((a) => a.status), [410]);
      assert.equal((await node.api('GET', `/v1/orders/${order}`)).body.order.state, 'reserved');
    });
  });
}

