/**
 * Flash sales under a storm, as viewers see them: many real clients at once, over both transports
 * and both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transports } from '../../testing/clients.ts';
import { engines, names, startTestNode, type TestNode } from '../../testing/node.ts';

const product = { id: 'sku-tea', title: 'Oolong tea', price: 12800 };

for (const engine of engines) {
  for (const transport of transports) {
    describe(`flash sale over ${transport} on ${engine}`, () => {
      let node: TestNode;
      const viewers = (room: string, n: number, prefix: string) => node.viewers(transport, room, names(prefix, n));
      const setup = async (room: string, sale: Record<string, unknown>) => {
        assert.equal((await node.api('POST', '/v1/rooms', { id: room, title: room })).status, 201);
        const created = await node.api('POST', `/v1/rooms/${room}/flash-sales`, { product, price: 9900, ...sale });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        return created.body.sale.id as string;
      };

      before(async () => {
        node = await startTestNode({ engine, config: { realtime: { rateLimit: { opsPerSec: 100, opsBurst: 100 } } } });
      });
      after(() => node.close());

      test('600 concurrent buyers for stock 50: exactly 50 orders; everyone sees left 0 and flash.soldout', async () => {
        const sale = await setup('storm', { id: 'storm', stock: 50 });
        const crowd = await viewers('storm', 600, 'b');
        const early = await crowd[0]!.request('flash.buy', { room: 'storm', sale, qty: 1, requestId: 'early' });
        assert.equal(!early.ok && early.error.code, 'not_started');
        const host = (await viewers('storm', 1, 'host-'))[0]!;
        assert.equal((await host.request('flash.start', { room: 'storm', sale })).ok, false, 'a viewer is not a host');
        assert.equal((await node.api('POST', `/v1/rooms/storm/flash-sales/${sale}/start`)).status, 200);
        await crowd[1]!.waitFor(() => crowd[1]!.events('flash.started').length === 1, 'flash.started');

        const replies = await Promise.all(crowd.map((c, i) => c.request('flash.buy', { room: 'storm', sale, qty: 1, requestId: `r${i}` })));
        const orders = replies.filter((r) => r.ok);
        assert.equal(orders.length, 50);
        assert.ok(replies.every((r) => r.ok || r.error.code === 'sold_out'));
        const first = orders[0] as { data: { order: { state: string; amount: number; payDeadline: number } } };
        assert.deepEqual([first.data.order.state, first.data.order.amount], ['reserved', 9900]);

        for (const c of crowd) {
          await c.waitFor(() => c.state()['flash:storm:left'] === 0 && c.events('flash.soldout').length === 1, 'left 0 and flash.soldout everywhere');
        }
        const figures = (await node.api('GET', `/v1/rooms/storm/flash-sales/${sale}`)).body.sale;
        assert.deepEqual([figures.left, figures.sold, figures.status, figures.endReason], [0, 50, 'ended', 'sold_out']);
        const late = await (await viewers('storm', 1, 'late-'))[0]!.request('join', { room: 'storm' });
        assert.ok(late.ok && (late.data as any).snapshot.state['flash:storm:left'] === 0, 'a late joiner reads left 0 in its snapshot');
        await Promise.all(crowd.map((c) => c.close()));
      });

      test('per-user limit 2 holds under 4 concurrent taps per user; repeats answer the same order', async () => {
        const sale = await setup('limits', { id: 'lim', stock: 1000, perUserLimit: 2 });
        await node.api('POST', `/v1/rooms/limits/flash-sales/${sale}/start`);
        const buyers = await viewers('limits', 20, 'l');
        const replies = await Promise.all(buyers.flatMap((c) => [0, 1, 2, 3].map((k) => c.request('flash.buy', { room: 'limits', sale, requestId: `t${k}` }))));
        assert.equal(replies.filter((r) => r.ok).length, 40);
        assert.ok(replies.every((r) => r.ok || r.error.code === 'limit_reached'));
        const again = await Promise.all([0, 1, 2, 3].map((k) => buyers[0]!.request('flash.buy', { room: 'limits', sale, requestId: `t${k}` })));
        assert.deepEqual(again, replies.slice(0, 4), 'each requestId answers its first answer');
        assert.equal((await node.api('GET', `/v1/rooms/limits/flash-sales/${sale}`)).body.sale.sold, 40);
      });

      test('an unpaid reservation comes back to stock after the pay window, once; the buyer hears it', async () => {
        const sale = await setup('expiry', { id: 'exp', stock: 1, payWindowSec: 1 });
        await node.api('POST', `/v1/rooms/expiry/flash-sales/${sale}/start`);
        const [buyer, other] = await viewers('expiry', 2, 'e');
        const bought = await buyer!.request('flash.buy', { room: 'expiry', sale, requestId: 'one' });
        assert.ok(bought.ok);
        const refused = await other!.request('flash.buy', { room: 'expiry', sale, requestId: 'one' });
        assert.equal(!refused.ok && refused.error.code, 'sold_out');
        await buyer!.waitFor(() => buyer!.events('order.update').some((e) => (e.data as { state: string }).state === 'expired'), 'the expiry', 5000);
        await other!.waitFor(() => other!.state()['flash:exp:left'] === 1, 'left back to 1');
        const resold = await other!.request('flash.buy', { room: 'expiry', sale, requestId: 'two' });
        assert.ok(resold.ok, 'the released unit sells again');
        const figures = (await node.api('GET', `/v1/rooms/expiry/flash-sales/${sale}`)).body.sale;
        assert.deepEqual([figures.left, figures.sold], [0, 1]);
      });

      test('a sale with startsAt and endsAt starts and ends by itself, announced once', async () => {
        const now = Date.now();
        const sale = await setup('clock', { id: 'timed', stock: 10, startsAt: now + 400, endsAt: now + 1200 });
        const [watcher] = await viewers('clock', 1, 'w');
        await watcher!.waitFor(() => watcher!.events('flash.started').length === 1, 'the start', 5000);
        assert.equal((await watcher!.request('flash.buy', { room: 'clock', sale, requestId: 'in-window' })).ok, true);
        await watcher!.waitFor(() => watcher!.events('flash.ended').length === 1, 'the end', 5000);
        assert.deepEqual(watcher!.events('flash.ended')[0]!.data, { sale, reason: 'time' });
        const late = await watcher!.request('flash.buy', { room: 'clock', sale, requestId: 'too-late' });
        assert.equal(!late.ok && late.error.code, 'ended');
      });

      test('a host starts and stops a sale, and pops a coupon, over the socket', async () => {
        const sale = await setup('host-ops', { id: 'hs', stock: 3 });
        await node.api('POST', '/v1/rooms/host-ops/coupons', { id: 'hc', title: 'c', value: 100, quantity: 5 });
        const [host] = await node.viewers(transport, 'host-ops', ['the-host'], { role: 'host', rooms: ['host-ops'] });
        const [fan] = await viewers('host-ops', 1, 'fan');
        const started = (await host!.request('flash.start', { room: 'host-ops', sale })) as any;
        assert.deepEqual([started.ok, started.data.sale.status], [true, 'live']);
        assert.equal((await host!.request('coupon.pop', { room: 'host-ops', coupon: 'hc' })).ok, true);
        await fan!.waitFor(() => fan!.events('flash.started').length === 1 && fan!.events('coupon.popup').length === 1, 'start and pop');
        assert.equal((await host!.request('flash.stop', { room: 'host-ops', sale })).ok, true);
        await fan!.waitFor(() => fan!.events('flash.ended').length === 1, 'the stop');
        const again = await host!.request('flash.start', { room: 'host-ops', sale });
        assert.equal(!again.ok && again.error.code, 'ended');
      });

      test('ending the live ends its sales and coupon pop-ups in the same step, announced; nothing is sold or issued after', async () => {
        const sale = await setup('finale', { id: 'fs', stock: 10 });
        const late = (await node.api('POST', '/v1/rooms/finale/flash-sales', { id: 'later', product, price: 100, stock: 5 })).body.sale.id as string;
        await node.api('POST', '/v1/rooms/finale/start');
        await node.api('POST', `/v1/rooms/finale/flash-sales/${sale}/start`);
        for (const id of ['pop', 'unpopped']) await node.api('POST', '/v1/rooms/finale/coupons', { id, title: 'c', value: 100, quantity: 5, popupSec: 600 });
        await node.api('POST', '/v1/rooms/finale/coupons/pop/pop');
        const [fan] = await viewers('finale', 1, 'finale-fan');
        assert.equal((await fan!.request('flash.buy', { room: 'finale', sale, requestId: 'before' })).ok, true);
        // Taps in flight while the room ends: each is decided before the end or refused `ended`, none after.
        const taps = Array.from({ length: 20 }, (_, i) => fan!.request('flash.buy', { room: 'finale', sale, requestId: `race${i}` }));
        assert.equal((await node.api('POST', '/v1/rooms/finale/end')).status, 200);
        const raced = await Promise.all(taps);
        assert.ok(raced.every((r) => r.ok || r.error.code === 'ended' || r.error.code === 'limit_reached'), JSON.stringify(raced.filter((r) => !r.ok)));
        const after = await fan!.request('flash.buy', { room: 'finale', sale, requestId: 'after' });
        assert.equal(!after.ok && after.error.code, 'ended');
        const claim = await fan!.request('coupon.claim', { room: 'finale', coupon: 'pop', requestId: 'after' });
        assert.equal(!claim.ok && claim.error.code, 'ended');
        const pop = await node.api('POST', '/v1/rooms/finale/coupons/unpopped/pop');
        assert.deepEqual([pop.status, pop.body.error.code], [409, 'ended']);
        const start = await node.api('POST', `/v1/rooms/finale/flash-sales/${late}/start`);
        assert.equal(start.body.error.code, 'ended');
        for (const id of [sale, late]) {
          const view = (await node.api('GET', `/v1/rooms/finale/flash-sales/${id}`)).body.sale;
          assert.deepEqual([view.status, view.endReason], ['ended', 'room'], id);
        }
        assert.ok((await node.api('GET', '/v1/rooms/finale/coupons/pop')).body.coupon.closesAt <= Date.now());
        await fan!.waitFor(() => fan!.events('flash.ended').some((e) => (e.data as { sale: string; reason: string }).sale === sale && (e.data as { reason: string }).reason === 'room'), 'flash.ended for the live sale');
      });

      test("another room's host is refused every host op, and nothing changes", async () => {
        const sale = await setup('theirs', { id: 'ts', stock: 3 });
        await node.api('POST', '/v1/rooms/theirs/coupons', { id: 'tc', title: 'c', value: 100, quantity: 5 });
        const [intruder] = await node.viewers(transport, 'theirs', ['other-host'], { role: 'host', rooms: ['mine'] });
        const ops = [
          ['flash.start', { room: 'theirs', sale }],
          ['flash.stop', { room: 'theirs', sale }],
          ['coupon.pop', { room: 'theirs', coupon: 'tc' }],
          ['pin', { room: 'theirs', product: { id: 'p', title: 'x', price: 1 } }],
        ] as const;
        for (const [op, args] of ops) {
          const refused = await intruder!.request(op, args);
          assert.equal(!refused.ok && refused.error.code, 'forbidden', op);
        }
        assert.equal((await node.api('GET', `/v1/rooms/theirs/flash-sales/${sale}`)).body.sale.status, 'scheduled');
        assert.equal((await node.api('GET', '/v1/rooms/theirs/coupons/tc')).body.coupon.status, 'created');
      });

      test('a host can take down a sold-out sale, and a released reservation then does not relist it', async () => {
        const sale = await setup('takedown', { id: 'td', stock: 1, payWindowSec: 1 });
        await node.api('POST', `/v1/rooms/takedown/flash-sales/${sale}/start`);
        const [buyer] = await viewers('takedown', 1, 't');
        assert.equal((await buyer!.request('flash.buy', { room: 'takedown', sale, requestId: 'b' })).ok, true);
        const stopped = await node.api('POST', `/v1/rooms/takedown/flash-sales/${sale}/stop`);
        assert.deepEqual([stopped.status, stopped.body.sale.endReason], [200, 'host']);
        await buyer!.waitFor(() => buyer!.events('order.update').length === 1, 'the reservation expiring', 5000);
        const after = (await node.api('GET', `/v1/rooms/takedown/flash-sales/${sale}`)).body.sale;
        assert.deepEqual([after.status, after.left], ['ended', 1]);
        assert.equal(buyer!.events('flash.started').filter((e) => (e.data as any).relisted).length, 0);
      });

      test('bad input: wrong fields, absurd quantities and another room\'s sale are refused, nothing written', async () => {
        const sale = await setup('bad', { id: 'bad', stock: 5 });
        await node.api('POST', `/v1/rooms/bad/flash-sales/${sale}/start`);
        const [viewer] = await viewers('bad', 1, 'x');
        for (const args of [{ sale, requestId: 'a', qty: 0 }, { sale, requestId: 'a', qty: -1 }, { sale, requestId: 'a', qty: 1e6 }, { sale }, { sale, requestId: '' }]) {
          const r = await viewer!.request('flash.buy', { room: 'bad', ...args });
          assert.equal(!r.ok && r.error.code, 'bad_request', JSON.stringify(args));
        }
        const other = await viewer!.request('flash.buy', { room: 'storm', sale: 'storm', requestId: 'x' });
        assert.equal(!other.ok && other.error.code, 'forbidden', 'not a member of that room');
        const missing = await viewer!.request('flash.buy', { room: 'bad', sale: 'storm', requestId: 'x' });
        assert.equal(!missing.ok && missing.error.code, 'not_found', 'that sale is not in this room');
        assert.equal((await node.api('GET', '/v1/rooms/bad/flash-sales/bad')).body.sale.left, 5);
        assert.equal((await node.api('POST', '/v1/rooms/bad/flash-sales', { product, price: 1, stock: -1 })).status, 400);
        assert.equal((await node.api('POST', '/v1/rooms/bad/flash-sales', { product, price: 1, stock: 1, perUserLimit: -1 })).status, 400);
        assert.equal((await node.api('POST', '/v1/rooms/nope/flash-sales', { product, price: 1, stock: 1 })).status, 404);
      });
    });
  }
}
