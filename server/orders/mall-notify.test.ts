/** Payment notifications from the mall, over real HTTP with real signatures (the fake mall under load/). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { signedHeaders } from './signing.ts';
import { engines, startTestNode, type TestNode } from '../testing/node.ts';

for (const engine of engines) {
  describe(`mall notifications on ${engine}`, () => {
    let node: TestNode;
    let mall: FakeMall;
    const buy = async (room: string, sub: string, sale: Record<string, unknown>) => {
      await node.api('POST', '/v1/rooms', { id: room, title: room });
      await node.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 1, ...sale });
      await node.api('POST', `/v1/rooms/${room}/flash-sales/s/start`);
      const [buyer] = await node.viewers('ws', room, [sub]);
      const reply = (await buyer!.request('flash.buy', { room, sale: 's', requestId: 'b' })) as any;
      assert.equal(reply.ok, true);
      return { buyer: buyer!, order: reply.data.order as { id: string; amount: number } };
    };
    const orderState = async (id: string) => (await node.api('GET', `/v1/orders/${id}`)).body.order?.state;

    before(async () => {
      node = await startTestNode({ engine });
      mall = await FakeMall.start({ secret: node.config.mall.secret, notifyUrl: `${node.baseUrl}/v1/mall/notify` });
    });
    after(async () => {
      await mall.close();
      await node.close();
    });

    test('a paid notification moves the order to paid and the buyer hears it; a re-signed repeat answers 200 and changes nothing', async () => {
      const { buyer, order } = await buy('pay', 'payer', {});
      const paid = await mall.notify({ orderId: order.id, mallOrderId: 'M-1', status: 'paid', paidAt: Date.now(), amount: order.amount });
      assert.deepEqual([paid.status, (paid.body as any).order.state, (paid.body as any).changed], [200, 'paid', true]);
      await buyer.waitFor(() => buyer.events('order.update').some((e) => (e.data as any).state === 'paid'), 'order.update paid');
      const again = await mall.notify({ orderId: order.id, mallOrderId: 'M-1', status: 'paid', amount: order.amount });
      assert.deepEqual([again.status, (again.body as any).changed], [200, false]);
      assert.equal(await orderState(order.id), 'paid');
    });

    test('forged, stale, replayed and malformed notifications are refused, and nothing changes', async () => {
      const { order } = await buy('refuse', 'r1', {});
      const body = JSON.stringify({ orderId: order.id, mallOrderId: 'M-2', status: 'paid' });
      const post = (headers: Record<string, string>, raw = body) => fetch(`${node.baseUrl}/v1/mall/notify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
      assert.equal((await post(signedHeaders('not-the-mall-secret', body))).status, 401, 'wrong secret');
      assert.equal((await post(signedHeaders(node.config.mall.secret, body, Date.now() - 301_000))).status, 401, 'stale');
      assert.equal((await post({})).status, 401, 'unsigned');
      const tampered = signedHeaders(node.config.mall.secret, body);
      assert.equal((await post(tampered, body.replace('paid', 'refunded'))).status, 401, 'body changed after signing');
      assert.equal(await orderState(order.id), 'reserved');

      const headers = signedHeaders(node.config.mall.secret, JSON.stringify({ orderId: order.id, status: 'paid' }));
      const malformed = await post(headers, JSON.stringify({ orderId: order.id, status: 'paid' }));
      assert.equal(malformed.status, 400);
      assert.match(((await malformed.json()) as any).error.message, /^mallOrderId:/);
      assert.equal((await post(headers, JSON.stringify({ orderId: order.id, status: 'paid' }))).status, 409, 'a nonce is accepted once');
      assert.equal((await mall.notify({ orderId: 'no-such-order', mallOrderId: 'M', status: 'paid' })).status, 404);
      assert.equal((await mall.notify({ orderId: order.id, mallOrderId: 'M-2', status: 'paid', amount: order.amount + 1 })).status, 400, 'amount must match');
      assert.equal(await orderState(order.id), 'reserved');
    });

    test('a payment after the reservation expired does not resell its stock: paid_late', async () => {
      const { buyer, order } = await buy('late', 'slow-payer', { payWindowSec: 1 });
      await buyer.waitFor(() => buyer.events('order.update').some((e) => (e.data as any).state === 'expired'), 'the expiry', 5000);
      const paid = await mall.notify({ orderId: order.id, mallOrderId: 'M-3', status: 'paid', amount: order.amount });
      assert.deepEqual([paid.status, (paid.body as any).order.state], [200, 'paid_late']);
      const sale = (await node.api('GET', '/v1/rooms/late/flash-sales/s')).body.sale;
      assert.deepEqual([sale.left, sale.sold], [1, 0], 'the unit stays back in stock');
    });

    test('the mall cancelling an unpaid order puts its stock back once', async () => {
      const { order } = await buy('cancel', 'c1', {});
      const results = await Promise.all([1, 2, 3].map(() => mall.notify({ orderId: order.id, mallOrderId: 'M-4', status: 'cancelled' })));
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(results.filter((r) => (r.body as any).changed).length, 1);
      assert.equal((await node.api('GET', '/v1/rooms/cancel/flash-sales/s')).body.sale.left, 1);
      assert.equal(await orderState(order.id), 'cancelled');
    });
  });
}
