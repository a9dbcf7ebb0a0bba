/** Coupon pop-ups as viewers see them: audience-only delivery, atomic claims, the window. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { transports } from '../../testing/clients.ts';
import { engines, startTestNode, type TestNode } from '../../testing/node.ts';

for (const engine of engines) {
  for (const transport of transports) {
    describe(`coupons over ${transport} on ${engine}`, () => {
      let node: TestNode;
      const viewer = async (room: string, sub: string, claims: Record<string, unknown> = {}) => (await node.viewers(transport, room, [sub], claims))[0]!;
      const setup = async (room: string, coupon: Record<string, unknown>) => {
        assert.equal((await node.api('POST', '/v1/rooms', { id: room, title: room })).status, 201);
        const created = await node.api('POST', `/v1/rooms/${room}/coupons`, { title: '10 off', value: 1000, ...coupon });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        return created.body.coupon.id as string;
      };

      before(async () => {
        node = await startTestNode({ engine });
      });
      after(() => node.close());

      test('80 concurrent claims for 30 coupons: exactly 30; only the audience sees the pop-up; outsiders are not_eligible', async () => {
        const coupon = await setup('pop', { id: 'new30', quantity: 30, audience: { tags: ['new'] }, popupSec: 60 });
        const tagged = await Promise.all(Array.from({ length: 80 }, (_, i) => viewer('pop', `n${i}`, { tags: ['new'] })));
        const untagged = await viewer('pop', 'plain');
        const early = await tagged[0]!.request('coupon.claim', { room: 'pop', coupon, requestId: 'early' });
        assert.equal(!early.ok && early.error.code, 'not_started');
        assert.equal((await node.api('POST', `/v1/rooms/pop/coupons/${coupon}/pop`)).status, 200);
        for (const c of tagged) await c.waitFor(() => c.events('coupon.popup').length === 1, 'the pop-up at a tagged viewer');
        assert.equal(untagged.events('coupon.popup').length, 0, 'an untagged viewer never sees it');

        const replies = await Promise.all(tagged.map((c, i) => c.request('coupon.claim', { room: 'pop', coupon, requestId: `q${i}` })));
        assert.equal(replies.filter((r) => r.ok).length, 30);
        assert.ok(replies.every((r) => r.ok || r.error.code === 'sold_out'));
        const outsider = await untagged.request('coupon.claim', { room: 'pop', coupon, requestId: 'x' });
        assert.equal(!outsider.ok && outsider.error.code, 'not_eligible');
        await tagged[0]!.waitFor(() => tagged[0]!.state()['coupon:new30:left'] === 0, 'left 0');
        const figures = (await node.api('GET', `/v1/rooms/pop/coupons/${coupon}`)).body.coupon;
        assert.deepEqual([figures.issued, figures.left], [30, 0]);
        const late = await viewer('pop', 'late', { tags: ['new'] });
        const snap = (await late.request('join', { room: 'pop' })) as any;
        assert.ok(snap.data.snapshot.campaigns.some((c: any) => c.kind === 'coupon'), 'a late audience member sees the open pop-up');
        const plainSnap = (await untagged.request('join', { room: 'pop' })) as any;
        assert.ok(!plainSnap.data.snapshot.campaigns.some((c: any) => c.kind === 'coupon'), 'nor in an outsider\'s snapshot');
      });

      test('per-user limit, repeats, and a claim after the pop-up closed is ended; the coupon applies to a flash order', async () => {
        const coupon = await setup('window', { id: 'win', quantity: 100, perUserLimit: 2, popupSec: 1, minSpend: 5000 });
        await node.api('POST', `/v1/rooms/window/flash-sales`, { id: 's', product: { id: 'p', title: 'Pot', price: 9000 }, price: 8000, stock: 5, perUserLimit: 3 });
        await node.api('POST', '/v1/rooms/window/flash-sales/s/start');
        const fan = await viewer('window', 'fan', { channel: 'ad01' });
        await node.api('POST', `/v1/rooms/window/coupons/${coupon}/pop`);
        const claims = await Promise.all([1, 2, 3, 4].map((k) => fan.request('coupon.claim', { room: 'window', coupon, requestId: `k${k}` })));
        assert.equal(claims.filter((r) => r.ok).length, 2);
        assert.deepEqual(await fan.request('coupon.claim', { room: 'window', coupon, requestId: 'k1' }), claims[0]);
        const mine = (claims.find((r) => r.ok) as any).data.coupon;
        assert.deepEqual([mine.value, mine.campaign, mine.user], [1000, 'win', 'fan']);

        const buy = (await fan.request('flash.buy', { room: 'window', sale: 's', requestId: 'b1', coupon: mine.id })) as any;
        assert.equal(buy.ok, true, JSON.stringify(buy));
        assert.deepEqual([buy.data.order.amount, buy.data.order.coupon], [7000, mine.id]);
        const twice = await fan.request('flash.buy', { room: 'window', sale: 's', requestId: 'b2', coupon: mine.id });
        assert.equal(!twice.ok && twice.error.code, 'already_done', 'a coupon applies once');

        await sleep(1100);
        const closed = await fan.request('coupon.claim', { room: 'window', coupon, requestId: 'late' });
        assert.equal(!closed.ok && closed.error.code, 'ended');
        assert.equal((await node.api('POST', `/v1/rooms/window/coupons/${coupon}/pop`)).status, 409, 'one pop per coupon');
      });
    });
  }
}
