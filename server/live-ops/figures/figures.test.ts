/**
 * Business figures on both engines (on redis across two nodes sharing one Redis): after a real
 * storm, coupons, a group-buy, payments from the mall and comments, every figure adds up exactly to
 * what the decisions and the orders say; the host's socket gets them each second; the CSV timeline
 * parses with its header row and sums to the totals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeMall } from '../../../load/fake-mall/mall.ts';
import { waitFor, type TestClient } from '../../testing/clients.ts';
import { engines, names, startTestNode, uniquePrefix, type TestNode } from '../../testing/node.ts';
import type { RoomFigures } from '../../protocol/views.ts';
import { CSV_HEADER } from './csv.ts';

const product = { id: 'tea', title: 'Tea set', price: 12900 };
const config = { realtime: { rateLimit: { opsPerSec: 100, opsBurst: 100, commentsPerSec: 100, commentsBurst: 100 } }, moderation: { keywords: ['加微信'], contentCheck: 'off' as const, contentCheckFlags: [] } };
const ok = (reply: { ok: boolean }) => assert.equal(reply.ok, true, JSON.stringify(reply));

for (const engine of engines) {
  describe(`figures (${engine})`, () => {
    let a: TestNode;
    let b: TestNode;
    let mall: FakeMall;
    const room = `figures-${engine}`;

    before(async () => {
      const prefix = uniquePrefix();
      a = await startTestNode({ engine, prefix, config });
      b = engine === 'redis' ? await startTestNode({ engine, prefix, config }) : a;
      mall = await FakeMall.start({ secret: a.config.mall.secret, notifyUrl: `${a.baseUrl}/v1/mall/notify` });
    });
    after(async () => {
      await mall.close();
      if (b !== a) await b.close();
      await a.close();
    });

    test('after a storm, coupons, a group-buy, payments and comments, every figure adds up; the host hears them each second', async () => {
      assert.equal((await a.api('POST', '/v1/rooms', { id: room, title: 'Figures' })).status, 201);
      await a.api('POST', `/v1/rooms/${room}/start`);
      await a.api('POST', `/v1/rooms/${room}/flash-sales`, { id: 's', product, price: 9900, stock: 30, perUserLimit: 2 });
      await a.api('POST', `/v1/rooms/${room}/coupons`, { id: 'c5', title: '减5元', value: 500, quantity: 10 });
      await a.api('POST', `/v1/rooms/${room}/group-buys`, { id: 'pair', product, price: 8800, size: 2 });
      const [host] = await a.viewers('ws', room, ['host'], { role: 'host', rooms: [room] });
      const watched = await host!.request('figures.watch', { room });
      ok(watched);

      // 80 buyers over both nodes, some with a coupon, all at once, for 30 units (2 each at most).
      const crowd: TestClient[] = [...await a.viewers('ws', room, names('fa', 40)), ...await b.viewers(engine === 'redis' ? 'socket.io' : 'ws', room, names('fb', 40))];
      await a.api('POST', `/v1/rooms/${room}/coupons/c5/pop`);
      const claims = await Promise.all(crowd.slice(0, 6).map((c, i) => c.request('coupon.claim', { room, coupon: 'c5', requestId: `cl${i}` })));
      const coupons = claims.map((r) => (r as { data: { coupon: { id: string } } }).data.coupon.id);
      await a.api('POST', `/v1/rooms/${room}/flash-sales/s/start`);
      const replies = await Promise.all(crowd.map((c, i) => c.request('flash.buy', { room, sale: 's', qty: i % 3 === 0 ? 2 : 1, requestId: `b${i}`, ...(i < 4 ? { coupon: coupons[i] } : {}) })));
      const orders = replies.filter((r) => r.ok).map((r) => (r as { data: { order: { id: string; amount: number; qty: number } } }).data.order);
      const buyers = new Set(replies.flatMap((r, i) => (r.ok ? [i] : [])));
      const units = orders.reduce((n, o) => n + o.qty, 0);
      assert.equal(units, 30, 'the sale sold out exactly');
      // Repeats change nothing.
      await Promise.all(crowd.slice(0, 10).map((c, i) => c.request('flash.buy', { room, sale: 's', qty: i % 3 === 0 ? 2 : 1, requestId: `b${i}` })));

      // Two open the group-buy; one joins the other's group.
      const opened = await crowd[50]!.request('group.open', { room, campaign: 'pair', requestId: 'g1' }) as { data: { group: { id: string } } };
      await crowd[51]!.request('group.open', { room, campaign: 'pair', requestId: 'g2' });
      ok(await crowd[52]!.request('group.join', { room, group: opened.data.group.id, requestId: 'g3' }));

      // The mall confirms some payments, one twice; one is cancelled.
      const paid = orders.slice(0, 7);
      for (const [i, order] of paid.entries()) {
        assert.equal((await mall.notify({ orderId: order.id, mallOrderId: `M${i}`, status: 'paid', amount: order.amount })).status, 200);
      }
      assert.equal((await mall.notify({ orderId: paid[0]!.id, mallOrderId: 'M0', status: 'paid', amount: paid[0]!.amount })).status, 200);
      assert.equal((await mall.notify({ orderId: orders[10]!.id, mallOrderId: 'M10', status: 'cancelled' })).status, 200);

      ok(await crowd[0]!.request('comment', { room, text: '好看' }));
      ok(await crowd[41]!.request('comment', { room, text: '加 微 信 有福利' }));
      ok(await crowd[42]!.request('like', { room, n: 5 }).catch(() => ({ ok: true })));

      const expected = {
        reserved: orders.length + 3,
        gmvReserved: orders.reduce((n, o) => n + o.amount, 0) + 3 * 8800,
        gmvPaid: paid.reduce((n, o) => n + o.amount, 0),
      };
      let last: RoomFigures | undefined;
      const figures = await waitFor(async () => {
        last = (await a.api('GET', `/v1/rooms/${room}/figures`)).body.figures as RoomFigures;
        return last.orders.cancelled === 1 && last.likes === 5 && last;
      }, 'the figures settle').catch((err: Error) => assert.fail(`${err.message}: ${JSON.stringify(last)}`));
      assert.deepEqual(figures.orders, { reserved: expected.reserved, submitted: 0, paid: 7, expired: 0, cancelled: 1, refunded: 0 });
      assert.deepEqual(figures.gmv, { reserved: expected.gmvReserved, paid: expected.gmvPaid, refunded: 0 });
      // Viewers once per stage: 80 tapped buy or a group; those with an order; those who paid.
      assert.deepEqual(figures.funnel, { joined: 81, tapped: 80, reserved: new Set([...buyers, 50, 51, 52]).size, paid: 7 });
      assert.deepEqual(figures.viewers.unique, 81);
      assert.equal(figures.comments, 1);
      assert.equal(figures.hidden, 1);
      assert.deepEqual(figures.coupons, [{ id: 'c5', title: '减5元', issued: 6, used: 4, left: 4 }]);
      assert.deepEqual(figures.groups, { open: 1, formed: 1, failed: 0 });
      assert.deepEqual(figures.assists, { open: 0, completed: 0 });
      assert.ok(figures.viewers.peak >= figures.viewers.now);
      // Against the orders themselves: the brand's export.
      const exported = (await (await fetch(`${a.baseUrl}/v1/orders?room=${room}`, { headers: { authorization: `Bearer ${a.apiKey}` } })).text()).trim().split('\n').map((l) => JSON.parse(l) as { amount: number; state: string });
      assert.equal(exported.length, expected.reserved);
      assert.equal(exported.reduce((n, o) => n + o.amount, 0), expected.gmvReserved);
      assert.equal(exported.filter((o) => o.state === 'paid').length, figures.orders.paid);

      // The host's socket hears the same figures, pushed each second.
      await host!.waitFor(() => host!.events('figures').some((e) => (e.data as RoomFigures).orders.cancelled === 1), 'a pushed figures event');
      const pushed = host!.events('figures').at(-1)!.data as RoomFigures;
      assert.deepEqual(pushed.orders, figures.orders);
      const timeline = await host!.request('figures.timeline', { room }) as { ok: true; data: { minutes: Array<{ reserved: number; gmvPaid: number }> } };
      assert.equal(timeline.data.minutes.reduce((n, m) => n + m.reserved, 0), expected.reserved);

      // The spreadsheet: a header row, a row a minute, summing to the totals.
      const res = await fetch(`${a.baseUrl}/v1/rooms/${room}/figures.csv`, { headers: { authorization: `Bearer ${a.apiKey}` } });
      assert.match(res.headers.get('content-type')!, /^text\/csv/);
      const [header, ...rows] = (await res.text()).trim().split('\r\n').map((line) => line.split(','));
      assert.deepEqual(header, CSV_HEADER);
      assert.ok(rows.length >= 1);
      const column = (name: string) => rows.reduce((n, row) => n + Number(row[header!.indexOf(name)]), 0);
      for (const row of rows) assert.match(row[0]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      assert.equal(column('orders_reserved'), expected.reserved);
      assert.equal(column('orders_paid'), 7);
      assert.equal(column('gmv_paid_fen'), expected.gmvPaid);
      assert.equal(column('joined'), 81);
    });

    test('bad input: an unknown room is not_found, a bad time zone bad_request, another room\'s host forbidden', async () => {
      assert.equal((await a.api('GET', '/v1/rooms/no-such-room/figures')).status, 404);
      const tz = await fetch(`${a.baseUrl}/v1/rooms/${room}/figures.csv?tz=Mars/Olympus`, { headers: { authorization: `Bearer ${a.apiKey}` } });
      assert.equal(tz.status, 400);
      const [other] = await a.viewers('ws', room, ['other-host'], { role: 'host', rooms: ['elsewhere'] });
      assert.equal((await other!.request('figures', { room }) as { error?: { code: string } }).error?.code, 'forbidden');
    });
  });
}
