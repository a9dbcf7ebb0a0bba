/** The http mall adapter against the fake mall over real HTTP with real signatures. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeMall } from '../../../load/fake-mall/mall.ts';
import type { Order } from '../model.ts';
import { MallRejected, MallUnavailable } from './adapter.ts';
import { HttpMallAdapter, retryAfterMs } from './http-adapter.ts';

const order: Order = {
  id: 'o1', room: 'r', user: 'u', source: 'flash', campaign: 's', product: 'p', qty: 1, price: 900, amount: 900,
  state: 'reserved', createdAt: 1, payDeadline: 2,
};
let mall: FakeMall;
before(async () => {
  mall = await FakeMall.start({ secret: 'shared-secret', latencyMs: 0 });
});
after(() => mall.close());

test('pushes a signed order; the same order twice gets the same answer', async () => {
  const adapter = new HttpMallAdapter({ url: mall.url, secret: 'shared-secret', timeoutMs: 2000 });
  const first = await adapter.push(order);
  assert.match(first.payPath, /^\/pages\/pay/);
  assert.deepEqual(await adapter.push(order), first);
  assert.equal(mall.orders.get('o1')!.pushes, 2);
  await adapter.refund({ ...order, mallOrderId: first.mallOrderId }, 'group failed');
  assert.deepEqual(mall.refunds, [{ orderId: 'o1', amount: 900, reason: 'group failed' }]);
});

test('4xx is final, 5xx, downtime and timeouts are retryable', async () => {
  const wrongSecret = new HttpMallAdapter({ url: mall.url, secret: 'not-the-secret', timeoutMs: 2000 });
  await assert.rejects(wrongSecret.push(order), (err) => err instanceof MallRejected && err.status === 401);
  const adapter = new HttpMallAdapter({ url: mall.url, secret: 'shared-secret', timeoutMs: 200 });
  mall.setDown(true);
  await assert.rejects(adapter.push(order), MallUnavailable);
  mall.setDown(false);
  const slow = await FakeMall.start({ secret: 'shared-secret', latencyMs: 1000 });
  await assert.rejects(new HttpMallAdapter({ url: slow.url, secret: 'shared-secret', timeoutMs: 100 }).push(order), MallUnavailable);
  await slow.close();
  const gone = new HttpMallAdapter({ url: 'http://127.0.0.1:1/orders', secret: 'shared-secret', timeoutMs: 200 });
  await assert.rejects(gone.push(order), MallUnavailable);
});

test('408, 425 and 429 are "not now", retryable with the Retry-After they carry; other 4xx are final', async () => {
  const adapter = new HttpMallAdapter({ url: mall.url, secret: 'shared-secret', timeoutMs: 2000 });
  for (const [status, header, afterMs] of [[429, '7', 7000], [408, undefined, undefined], [425, undefined, undefined], [503, '2', 2000]] as const) {
    mall.setThrottling(status, 1, header);
    await assert.rejects(adapter.push(order), (err) => err instanceof MallUnavailable && err.retryAfterMs === afterMs, String(status));
  }
  for (const status of [400, 404, 410, 422]) {
    mall.setThrottling(status, 1);
    await assert.rejects(adapter.push(order), (err) => err instanceof MallRejected && err.status === status, String(status));
  }
});

test('Retry-After is delay-seconds or an HTTP-date; anything else is ignored', () => {
  const now = Date.parse('2026-12-02T00:00:00Z');
  assert.equal(retryAfterMs('120', now), 120_000);
  assert.equal(retryAfterMs('Wed, 02 Dec 2026 00:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('Tue, 01 Dec 2026 00:00:00 GMT', now), 0);
  for (const junk of [null, '', 'soon', '-5', '1e9', '9999999999']) assert.equal(retryAfterMs(junk, now), undefined, String(junk));
});
