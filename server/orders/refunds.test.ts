/** A group that does not form in time gives paid members their money back through the mall, once. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { engines, startTestNode, type TestNode } from '../testing/node.ts';

for (const engine of engines) {
  describe(`refunds on ${engine}`, () => {
    let node: TestNode;
    let mall: FakeMall;

    before(async () => {
      mall = await FakeMall.start({ secret: 'dev-mall-secret', failureRate: 0.3 });
      node = await startTestNode({ engine, config: { mall: { url: mall.url, retryBaseMs: 20, retryMaxMs: 1000, attempts: 30 } } });
      mall.notifyTo(`${node.baseUrl}/v1/mall/notify`);
    });
    after(async () => {
      await node.close();
      await mall.close();
    });

    test('a failed group: the paid seat is refunded through the mall once, the unpaid one expires, both members hear it', async () => {
      await node.api('POST', '/v1/rooms', { id: 'refund', title: 'refund' });
      const created = await node.api('POST', '/v1/rooms/refund/group-buys', { id: 'trio', product: { id: 'p', title: 'Pot', price: 9900 }, price: 5900, size: 3, ttlSec: 2 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const [payer, waverer] = await node.viewers('ws', 'refund', ['payer', 'waverer']);
      const opened = (await payer!.request('group.open', { room: 'refund', campaign: 'trio', requestId: 'o' })) as any;
      assert.equal(opened.ok, true, JSON.stringify(opened));
      const joined = (await waverer!.request('group.join', { room: 'refund', group: opened.data.group.id, requestId: 'j' })) as any;
      assert.equal(joined.ok, true, JSON.stringify(joined));
      const [paidOrder, unpaidOrder] = [opened.data.group.order as string, joined.data.group.order as string];

      await payer!.waitFor(() => mall.orders.has(paidOrder) && mall.orders.has(unpaidOrder), 'both seats in the mall', 20_000);
      await payer!.waitFor(async () => (await node.api('GET', `/v1/orders/${paidOrder}`)).body.order.state === 'submitted', 'the seat submitted', 20_000);
      const paid = await mall.pay(paidOrder);
      assert.equal(paid.status, 200, JSON.stringify(paid.body));

      await payer!.waitFor(() => payer!.events('order.update').some((e) => (e.data as any).id === paidOrder && (e.data as any).state === 'refunded'), 'refunded, told to the payer', 20_000);
      const failed = payer!.events('group.failed');
      assert.deepEqual(failed.map((e) => (e.data as any).refund), [true]);
      await waverer!.waitFor(() => waverer!.events('group.failed').length === 1, 'group.failed for the unpaid member');
      assert.equal((waverer!.events('group.failed')[0]!.data as any).refund, false);

      assert.deepEqual(mall.refunds.map((r) => [r.orderId, r.amount]), [[paidOrder, 5900]]);
      assert.equal((await node.api('GET', `/v1/orders/${paidOrder}`)).body.order.state, 'refunded');
      assert.equal((await node.api('GET', `/v1/orders/${unpaidOrder}`)).body.order.state, 'expired');
    });

    test('a payment that arrives after the reservation expired is refunded through the mall, once; the stock stays back', async () => {
      await node.api('POST', '/v1/rooms', { id: 'late', title: 'late' });
      await node.api('POST', '/v1/rooms/late/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 1, payWindowSec: 1 });
      await node.api('POST', '/v1/rooms/late/flash-sales/s/start');
      const [buyer] = await node.viewers('ws', 'late', ['slow-payer']);
      const bought = (await buyer!.request('flash.buy', { room: 'late', sale: 's', qty: 1, requestId: 'b' })) as any;
      assert.equal(bought.ok, true, JSON.stringify(bought));
      const order = bought.data.order.id as string;
      await buyer!.waitFor(() => mall.orders.has(order), 'the order in the mall', 20_000);
      await buyer!.waitFor(() => buyer!.events('order.update').some((e) => (e.data as any).state === 'expired'), 'the reservation expires', 20_000);

      const paid = await mall.pay(order);
      assert.deepEqual([paid.status, (paid.body as any).order.state], [200, 'paid_late']);
      await buyer!.waitFor(() => buyer!.events('order.update').some((e) => (e.data as any).id === order && (e.data as any).state === 'refunded'), 'refunded, told to the buyer', 20_000);
      assert.deepEqual(mall.refunds.filter((r) => r.orderId === order).map((r) => r.amount), [90]);
      const sale = (await node.api('GET', '/v1/rooms/late/flash-sales/s')).body.sale;
      assert.deepEqual([sale.left, sale.sold], [1, 0], 'the unit stays back in stock');
    });
  });
}
