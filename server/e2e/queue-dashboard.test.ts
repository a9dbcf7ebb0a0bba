/** The queue dashboard (bull-board) behind the API key: an operator retries a push the mall refused. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeMall } from '../../load/fake-mall/mall.ts';
import { startTestNode, type TestNode } from '../testing/node.ts';

let node: TestNode;
let mall: FakeMall;
const basic = (key: string) => `Basic ${Buffer.from(`operator:${key}`).toString('base64')}`;
const admin = (path: string, init: RequestInit = {}) => fetch(`${node.adminUrl}/admin/queues${path}`, { ...init, headers: { authorization: basic('dev-api-key'), ...init.headers } });

before(async () => {
  mall = await FakeMall.start({ secret: 'dev-mall-secret' });
  node = await startTestNode({ engine: 'redis', config: { mall: { url: mall.url, retryBaseMs: 20, attempts: 3 } } });
});
after(async () => {
  await node.close();
  await mall.close();
});

test('the dashboard is on the operator port only, asks a browser for the API key, refuses a wrong one, and serves its page and assets', async () => {
  assert.equal((await fetch(`${node.baseUrl}/admin/queues`, { headers: { authorization: basic('dev-api-key') } })).status, 404, 'not on the public port');
  const anonymous = await fetch(`${node.adminUrl}/admin/queues`);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm="roomcast"/);
  assert.equal((await admin('', { headers: { authorization: basic('wrong') } })).status, 401);
  const page = await admin('');
  assert.equal(page.status, 200);
  const html = await page.text();
  const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
  assert.ok(script, 'the page loads its app');
  assert.equal((await fetch(new URL(script, `${node.adminUrl}/admin/queues/`), { headers: { authorization: basic('dev-api-key') } })).status, 200);
});

test('a push the mall refused waits in the failed set; retried from the dashboard, it settles', async () => {
  await node.api('POST', '/v1/rooms', { id: 'dash', title: 'dash' });
  await node.api('POST', '/v1/rooms/dash/flash-sales', { id: 's', product: { id: 'p', title: 'Tea', price: 100 }, price: 90, stock: 5 });
  await node.api('POST', '/v1/rooms/dash/flash-sales/s/start');
  const [buyer] = await node.viewers('ws', 'dash', ['refused']);
  mall.setRefusing(true);
  const order = ((await buyer!.request('flash.buy', { room: 'dash', sale: 's', requestId: 'b' })) as any).data.order.id as string;

  const failedCount = async () => {
    const { queues } = (await (await admin('/api/queues?activeQueue=settle&status=failed')).json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    assert.deepEqual(queues.map((q) => q.name).sort(), ['refund', 'settle', 'sweep']);
    return queues.find((q) => q.name === 'settle')!.counts.failed;
  };
  await buyer!.waitFor(async () => (await failedCount()) === 1, 'the refused push in the failed set');
  assert.equal(mall.attempts, 1, 'a 4xx is final: no retries');
  assert.equal((await node.api('GET', `/v1/orders/${order}`)).body.order.state, 'reserved');

  mall.setRefusing(false);
  assert.equal((await admin('/api/queues/settle/retry/failed', { method: 'PUT' })).status, 200);
  await buyer!.waitFor(() => buyer!.events('order.update').some((e) => (e.data as any).state === 'submitted'), 'submitted after the retry');
  assert.equal(mall.orders.get(order)?.pushes, 1);
  assert.equal(await failedCount(), 0);
});
