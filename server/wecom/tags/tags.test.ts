/**
 * Corp tags on viewers, against the fake WeCom over real HTTP (mark_tag on (staff, customer) pairs,
 * 84061 without one, corp tags made once, its minute limit answering 45009, encrypted callbacks):
 * a customer's participation becomes their tag once; a viewer who is no member's customer keeps it
 * pending until they add one; a missing permission is named once and the tags go on once granted;
 * and a 5,000-buyer storm drains at the budget, each buyer tagged once, no 45009.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeWeCom } from '../../../load/fake-wecom/wecom.ts';
import { connect, waitFor } from '../../testing/clients.ts';
import { engines, startTestNode, type EngineKind, type TestNode } from '../../testing/node.ts';

const corp = { corpId: 'ww-tags-corp', secret: 'test-wecom-secret', token: 'tagtoken', aesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' };
const rules = { 'order.reserved': '直播{room}-已下单', 'coupon.claimed': '直播{room}-领券' };
const tea = { id: 'tea', title: 'Tea', price: 1000 };

async function setup(engine: EngineKind, budget: { fake: number; node: number; windowMs: number }): Promise<{ node: TestNode; wecom: FakeWeCom }> {
  const wecom = await FakeWeCom.start({ ...corp, budgetPerMinute: budget.fake, windowMs: budget.windowMs });
  const node = await startTestNode({
    engine,
    config: {
      wecom: { ...corp, apiBase: wecom.apiBase, budgetPerMinute: budget.node, budgetWindowMs: budget.windowMs, tags: { groupName: '直播互动', rules } },
      participation: { everyMs: 50, retryBaseMs: 50, retryMaxMs: 300 },
    },
  });
  wecom.callbackTo(`${node.baseUrl}/v1/wecom/callback`);
  return { node, wecom };
}

async function metric(node: TestNode, line: string): Promise<boolean> {
  const text = await (await fetch(`${node.adminUrl}/metrics`, { headers: { authorization: `Bearer ${node.apiKey}` } })).text();
  return text.split('\n').some((l) => l.startsWith(line));
}

for (const engine of engines) {
  describe(`WeCom corp tags (${engine})`, () => {
    let node: TestNode;
    let wecom: FakeWeCom;
    before(async () => {
      ({ node, wecom } = await setup(engine, { fake: 10_000, node: 5000, windowMs: 60_000 }));
      await node.api('POST', '/v1/rooms', { id: 'tg', title: 'tags' });
      for (const id of ['s1', 's2', 's3']) {
        await node.api('POST', '/v1/rooms/tg/flash-sales', { id, product: tea, price: 900, stock: 100 });
        await node.api('POST', `/v1/rooms/tg/flash-sales/${id}/start`);
      }
      await node.api('POST', '/v1/rooms/tg/coupons', { id: 'c', title: '10 off', value: 1000, quantity: 100 });
      await node.api('POST', '/v1/rooms/tg/coupons/c/pop');
    });
    after(async () => {
      await node.close();
      await wecom.close();
    });

    test('a customer is tagged once on their pair; a viewer in no pair waits until they add a member', async () => {
      assert.equal(await wecom.addContact('staff1', 'wmA', 'uA'), 200);
      const [a, b] = await node.viewers('ws', 'tg', ['uA', 'uB']);
      for (const viewer of [a!, b!]) {
        assert.equal((await viewer.request('flash.buy', { room: 'tg', sale: 's1', requestId: 'r1' })).ok, true);
        assert.equal((await viewer.request('coupon.claim', { room: 'tg', coupon: 'c', requestId: 'c1' })).ok, true);
      }
      await waitFor(() => wecom.tagsOf('wmA').length === 2 || undefined, 'both tags on the customer', 10_000);
      assert.deepEqual(wecom.tagsOf('wmA'), ['直播tg-已下单', '直播tg-领券']);
      // A second purchase names the same tag: not marked again.
      assert.equal((await a!.request('flash.buy', { room: 'tg', sale: 's2', requestId: 'r2' })).ok, true);
      await waitFor(async () => (await metric(node, 'roomcast_wecom_tags_total{outcome="already"}')) || undefined, 'the repeat seen as marked already');
      assert.deepEqual([...wecom.marks.entries()].filter(([k]) => k.startsWith('wmA|')).map(([, n]) => n), [1, 1], 'each tag marked once');
      assert.deepEqual([...wecom.tagGroups.values()].map((g) => [g.name, [...g.tags.values()].sort()]), [['直播互动', ['直播tg-已下单', '直播tg-领券']]], 'each tag made once, in one group');

      // uB took part while no member's customer (a group member only): nothing marked, kept pending.
      await waitFor(async () => (await metric(node, 'roomcast_wecom_tags_total{outcome="pending"}')) || undefined, 'uB pending');
      assert.deepEqual(wecom.tagsOf('wmB'), []);
      assert.equal(await wecom.addContact('staff2', 'wmB', 'uB'), 200);
      await waitFor(() => wecom.tagsOf('wmB').length === 2 || undefined, 'uB tagged once they added a member', 10_000);
      assert.equal(wecom.rateLimited, 0);

      // An administrator deletes the tag in the admin console: the next viewer's mark_tag answers
      // 40068 on the id Roomcast kept; the tag is made again and marked.
      wecom.deleteCorpTag('直播tg-已下单');
      await wecom.addContact('staff1', 'wmE', 'uE');
      const [e] = await node.viewers('ws', 'tg', ['uE']);
      assert.equal((await e!.request('flash.buy', { room: 'tg', sale: 's1', requestId: 'r1' })).ok, true);
      await waitFor(() => wecom.tagsOf('wmE').includes('直播tg-已下单') || undefined, 'tagged with the tag made again', 10_000);
    });

    test('a missing permission (48002) is named once, in the log and a metric; the tags go on once it is granted', async () => {
      await wecom.addContact('staff1', 'wmC', 'uC');
      wecom.deny('externalcontact/mark_tag');
      const viewers = await node.viewers('socket.io', 'tg', ['uC', 'uD']);
      await wecom.addContact('staff1', 'wmD', 'uD');
      for (const v of viewers) assert.equal((await v.request('flash.buy', { room: 'tg', sale: 's3', requestId: 'r' })).ok, true);
      await waitFor(async () => (await metric(node, 'roomcast_wecom_permission_missing{api="externalcontact/mark_tag",errcode="48002"} 1')) || undefined, 'the missing permission named');
      await waitFor(() => (wecom.calls.get('externalcontact/mark_tag') ?? 0) > 3 || undefined, 'retried meanwhile');
      assert.deepEqual([wecom.tagsOf('wmC'), wecom.tagsOf('wmD')], [[], []]);
      wecom.deny('externalcontact/mark_tag', false);
      await waitFor(() => (wecom.tagsOf('wmC').length && wecom.tagsOf('wmD').length) || undefined, 'tagged once allowed', 10_000);
    });
  });
}

describe('WeCom corp tags in a storm (redis)', () => {
  const BUYERS = 5000;
  let node: TestNode;
  let wecom: FakeWeCom;
  before(async () => {
    // WeCom's minute, shortened to a second: its limit 1,200 calls per API, this node's budget 1,000.
    ({ node, wecom } = await setup('redis', { fake: 1200, node: 1000, windowMs: 1000 }));
  });
  after(async () => {
    await node.close();
    await wecom.close();
  });

  test(`${BUYERS} buyers who are customers are each tagged once, at the budget, with no 45009`, async () => {
    for (let i = 0; i < BUYERS; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, BUYERS - i) }, (_, j) => wecom.addContact(`staff${(i + j) % 7}`, `wm${i + j}`, `u${i + j}`)));
    }
    await node.api('POST', '/v1/rooms', { id: 'storm', title: 'storm' });
    await node.api('POST', '/v1/rooms/storm/flash-sales', { id: 's', product: tea, price: 900, stock: BUYERS });
    await node.api('POST', '/v1/rooms/storm/flash-sales/s/start');
    // Waves of 500 sockets: each joins, taps once, leaves.
    let bought = 0;
    for (let i = 0; i < BUYERS; i += 500) {
      await Promise.all(Array.from({ length: 500 }, async (_, j) => {
        const client = await connect(j % 2 ? 'ws' : 'socket.io', node.wsUrl, await node.token({ sub: `u${i + j}` }));
        try {
          await client.request('join', { room: 'storm' });
          if ((await client.request('flash.buy', { room: 'storm', sale: 's', requestId: 'tap' })).ok) bought++;
        } finally {
          await client.close();
        }
      }));
    }
    assert.equal(bought, BUYERS);
    const started = Date.now();
    await waitFor(() => [...wecom.marks.keys()].length >= BUYERS || undefined, 'every buyer tagged', 60_000);
    const drainedMs = Date.now() - started;
    const tagged = new Set([...wecom.marks.keys()].map((k) => k.split('|')[0]));
    assert.equal(tagged.size, BUYERS, 'every buyer');
    assert.ok([...wecom.marks.values()].every((n) => n === 1), 'each once');
    assert.equal(wecom.rateLimited, 0, 'no 45009: the budget paced the calls');
    assert.ok(!(await metric(node, 'roomcast_wecom_calls_total{api="externalcontact/mark_tag",outcome="45009"}')));
    // At 1,000 calls a second, 5,000 calls take about five seconds: figures in the run's output.
    console.log(`# ${BUYERS} mark_tag calls drained in ${drainedMs} ms after the storm (budget 1,000 per second)`);
  });
});
