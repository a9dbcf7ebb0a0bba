/** The commerce contract, on both engines, with real concurrency (many calls in flight at once). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FlashSale } from './flash-sale/model.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import type { BuyRequest } from './flash-sale/store.ts';
import type { Engine } from '../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../platform/engines.ts';
import { storesOf, type Stores } from '../testing/stores.ts';

const product = { id: 'sku', title: 'Tea', price: 5000 };
const sale = (id: string, extra: Partial<FlashSale> = {}): FlashSale => ({
  id, room: 'r', product, price: 3900, stock: 50, perUserLimit: 1, payWindowSec: 60, status: 'live', left: 50, sold: 0, ...extra,
});

for (const kind of engines) {
  describe(`commerce contract: ${kind}`, () => {
    const prefix = uniquePrefix();
    let engine: Engine;
    let c: Stores;
    let n = 0;
    const buy = (saleId: string, user: string, extra: Partial<BuyRequest> = {}) => {
      const requestId = extra.requestId ?? `q${n++}`;
      return c.flash.buy({ room: 'r', sale: saleId, user, qty: 1, requestId, orderId: `o-${saleId}-${user}-${requestId}`, now: Date.now(), requestTtlMs: 60_000, ...extra });
    };
    const settle = async <T>(calls: Array<Promise<T>>) => {
      const results = await Promise.allSettled(calls);
      return {
        ok: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value),
        codes: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code as string),
      };
    };

    before(async () => {
      engine = kind === 'memory' ? createMemoryEngine({ historySize: 10 }) : await createRedisEngine({ url: testRedisUrl(), prefix, historySize: 10 });
      c = storesOf(engine);
    });
    after(async () => {
      await engine.close();
      if (kind === 'redis') await deletePrefix(prefix);
    });

    test('600 concurrent buyers for stock 50: exactly 50 orders, the rest sold_out, the sale ends sold out', async () => {
      assert.equal(await c.flash.create(sale('storm')), true);
      assert.equal(await c.flash.create(sale('storm')), false);
      const { ok, codes } = await settle(Array.from({ length: 600 }, (_, i) => buy('storm', `u${i}`)));
      assert.equal(ok.length, 50);
      assert.ok(codes.every((c) => c === 'sold_out'), [...new Set(codes)].join());
      assert.equal(new Set(ok.map((o) => o.order.user)).size, 50);
      assert.equal(ok.filter((o) => o.soldOut).length, 1, 'exactly one buy took the last unit');
      const after = await c.flash.get('r', 'storm');
      assert.deepEqual([after!.left, after!.sold, after!.status, after!.endReason], [0, 50, 'ended', 'sold_out']);
    });

    test('per-user limit 2 holds under 4 concurrent taps per user; single-order limit refuses big buys', async () => {
      await c.flash.create(sale('limit', { perUserLimit: 2, stock: 1000, left: 1000, singleOrderLimit: 1 }));
      const { ok } = await settle(Array.from({ length: 40 }, (_, i) => buy('limit', `v${i % 10}`)));
      assert.equal(ok.length, 20);
      for (let u = 0; u < 10; u++) assert.equal(ok.filter((o) => o.order.user === `v${u}`).length, 2);
      await assert.rejects(buy('limit', 'fresh', { qty: 2 }), { code: 'limit_reached' });
    });

    test('stock 1 sells its last unit once; stock 0 sells nothing', async () => {
      await c.flash.create(sale('one', { stock: 1, left: 1 }));
      const { ok, codes } = await settle(Array.from({ length: 30 }, (_, i) => buy('one', `w${i}`)));
      assert.equal(ok.length, 1);
      assert.equal(codes.length, 29);
      await c.flash.create(sale('zero', { stock: 0, left: 0 }));
      await assert.rejects(buy('zero', 'w0'), { code: 'sold_out' });
    });

    test('a repeated request answers the first answer, success or refusal, even when concurrent', async () => {
      await c.flash.create(sale('idem', { stock: 5, left: 5 }));
      const { ok } = await settle(Array.from({ length: 10 }, () => buy('idem', 'x', { requestId: 'same' })));
      assert.equal(ok.length, 10);
      assert.equal(new Set(ok.map((o) => o.order.id)).size, 1);
      assert.equal(ok.filter((o) => !o.replayed).length, 1);
      assert.equal((await c.flash.get('r', 'idem'))!.left, 4);
      await assert.rejects(buy('idem', 'x', { requestId: 'second' }), { code: 'limit_reached' });
      await assert.rejects(buy('idem', 'x', { requestId: 'second' }), { code: 'limit_reached' });
    });

    test('a repeat after its refusal marker expired still names the first order; a requestId reused on another sale is a new request', async () => {
      await c.flash.create(sale('late-repeat', { stock: 5, left: 5, perUserLimit: 3 }));
      await c.flash.create(sale('other', { stock: 5, left: 5 }));
      const first = await buy('late-repeat', 'k', { requestId: 'same', requestTtlMs: 1 });
      await new Promise((r) => setTimeout(r, 10));
      const again = await buy('late-repeat', 'k', { requestId: 'same', requestTtlMs: 1 });
      assert.deepEqual([again.replayed, again.order.id], [true, first.order.id]);
      assert.equal((await c.flash.get('r', 'late-repeat'))!.sold, 1, 'not taken twice');
      const elsewhere = await buy('other', 'k', { requestId: 'same', orderId: 'o-other-k-same' });
      assert.deepEqual([elsewhere.replayed, elsewhere.order.campaign], [false, 'other']);
    });

    test('the window: not started, ended by time, unknown sale', async () => {
      await c.flash.create(sale('later', { status: 'scheduled', startsAt: Date.now() + 60_000 }));
      await assert.rejects(buy('later', 'y'), { code: 'not_started' });
      await c.flash.create(sale('soon', { status: 'scheduled', startsAt: Date.now() - 1 }));
      assert.equal((await buy('soon', 'y')).order.state, 'reserved', 'a start time that passed opens the sale');
      await c.flash.create(sale('over', { endsAt: Date.now() - 1 }));
      await assert.rejects(buy('over', 'y'), { code: 'ended' });
      await assert.rejects(buy('nope', 'y'), { code: 'not_found' });
    });

    test('an unpaid reservation is released exactly once, and a sold-out sale goes back on sale', async () => {
      await c.flash.create(sale('rel', { stock: 1, left: 1 }));
      const { order } = await buy('rel', 'z');
      assert.equal(order.state, 'reserved');
      assert.deepEqual(await c.orders.get(order.id), order);
      const releases = await Promise.all(Array.from({ length: 10 }, () => c.flash.release('r', order.id, Date.now())));
      assert.equal(releases.filter(Boolean).length, 1);
      assert.deepEqual(releases.find(Boolean), { left: 1, relisted: true });
      assert.equal((await c.orders.get(order.id))!.state, 'expired');
      const after = await c.flash.get('r', 'rel');
      assert.deepEqual([after!.left, after!.sold, after!.status], [1, 0, 'live']);
      assert.equal((await buy('rel', 'z')).order.state, 'reserved', 'the released unit counts off the buyer\'s limit too');
    });

    test('transitions: of racing callers exactly one wins', async () => {
      await c.flash.create(sale('tr', { status: 'scheduled' }));
      const moved = await Promise.all(Array.from({ length: 10 }, () => c.flash.transition('r', 'tr', ['scheduled'], 'live', { startedAt: 5 })));
      assert.equal(moved.filter(Boolean).length, 1);
      assert.equal(moved.find(Boolean)!.startedAt, 5);
      assert.equal(await c.flash.transition('r', 'tr', ['scheduled'], 'live', {}), null);
    });

    test('group-buy: 20 concurrent joins for the last 2 seats take exactly 2; it forms once; one open group per user', async () => {
      const groups = c.groups;
      await groups.create({ id: 'gb', room: 'r', product, price: 2900, size: 5, ttlSec: 60, perUserLimit: 3, status: 'live', opened: 0, formed: 0, failed: 0 });
      const seat = (user: string, requestId = `s${n++}`) => ({ room: 'r', user, requestId, orderId: `o-${user}-${requestId}`, now: Date.now(), requestTtlMs: 60_000 });
      const { group } = await groups.open({ ...seat('lead'), campaign: 'gb', groupId: 'g1' });
      await assert.rejects(groups.open({ ...seat('lead'), campaign: 'gb', groupId: 'g2' }), { code: 'already_done' }, 'already in an open group');
      await assert.rejects(groups.join({ ...seat('lead'), group: group.id, campaign: 'gb' }), { code: 'already_done' }, 'not into their own group either');
      await groups.join({ ...seat('m1'), group: 'g1', campaign: 'gb' });
      await groups.join({ ...seat('m2'), group: 'g1', campaign: 'gb' });
      const { ok, codes } = await settle(Array.from({ length: 20 }, (_, i) => groups.join({ ...seat(`j${i}`), group: 'g1', campaign: 'gb' })));
      assert.equal(ok.length, 2);
      assert.ok(codes.every((c) => c === 'group_full'));
      assert.equal(ok.filter((o) => o.formedNow).length, 1, 'formed exactly once');
      const formed = await groups.group('r', 'g1');
      assert.deepEqual([formed!.status, formed!.members.length, formed!.orders.length], ['formed', 5, 5]);
      assert.equal((await c.orders.get(formed!.orders[4]!))!.source, 'group');
      assert.equal((await groups.get('r', 'gb'))!.formed, 1);
      assert.deepEqual(await groups.openGroups('r', 'gb', 10), []);
      const again = await groups.open({ ...seat('lead'), campaign: 'gb', groupId: 'g3' });
      assert.equal(again.group.status, 'open', 'after forming, the leader may open another');
    });

    test('group-buy: an expired group fails once and releases every reservation once; fullest groups list first', async () => {
      const groups = c.groups;
      await groups.create({ id: 'gx', room: 'r', product, price: 100, size: 3, ttlSec: 60, perUserLimit: 1, status: 'live', opened: 0, formed: 0, failed: 0 });
      const seat = (user: string) => ({ room: 'r', user, requestId: `s${n++}`, orderId: `o-x-${user}`, now: Date.now(), requestTtlMs: 60_000 });
      await groups.open({ ...seat('a'), campaign: 'gx', groupId: 'x1' });
      await groups.open({ ...seat('b'), campaign: 'gx', groupId: 'x2' });
      await groups.join({ ...seat('c'), group: 'x2', campaign: 'gx' });
      assert.deepEqual((await groups.openGroups('r', 'gx', 10)).map((g) => g.id), ['x2', 'x1']);
      assert.equal(await groups.expire('r', 'x2', Date.now()), null, 'not yet due');
      const later = Date.now() + 61_000;
      const results = await Promise.all(Array.from({ length: 5 }, () => groups.expire('r', 'x2', later)));
      const failed = results.filter(Boolean);
      assert.equal(failed.length, 1);
      assert.deepEqual(failed[0]!.map((s) => [s.member, s.stateBefore]), [['b', 'reserved'], ['c', 'reserved']]);
      assert.equal((await c.orders.get('o-x-c'))!.state, 'expired');
      await assert.rejects(groups.join({ ...seat('d'), group: 'x2', campaign: 'gx', now: later }), { code: 'expired' });
      assert.equal((await groups.open({ ...seat('c'), campaign: 'gx', groupId: 'x3' })).group.status, 'open', 'a failed group does not count against the limit');
    });

    test('assist: of 10 concurrent helps exactly 3 count toward a target of 3, completing once; no self-help; per-helper cap', async () => {
      const assists = c.assists;
      await assists.create({ id: 'ac', room: 'r', product, price: 100, target: 3, ttlSec: 60, perHelperLimit: 1, reward: {}, status: 'live', started: 0, completed: 0 });
      const now = Date.now();
      const started = await assists.start({ room: 'r', campaign: 'ac', user: 'owner', assistId: 'a1', shareCode: 'SHARE1', now });
      assert.equal(started.created, true);
      const again = await assists.start({ room: 'r', campaign: 'ac', user: 'owner', assistId: 'a1b', shareCode: 'SHARE1B', now });
      assert.deepEqual([again.created, again.assist.id], [false, 'a1'], 'one open assist per user per campaign');
      assert.deepEqual(await assists.locate({ shareCode: 'SHARE1' }), { room: 'r', id: 'a1' });
      assert.deepEqual(await assists.locate({ assist: 'a1' }), { room: 'r', id: 'a1' });
      const help = (user: string, assist = 'a1', requestId = `h${n++}`) =>
        assists.help({ room: 'r', assist, campaign: 'ac', user, helpId: requestId, now: Date.now(), requestTtlMs: 60_000, rewardOrderId: `o-reward-${assist}`, rewardPayWindowMs: 60_000 });
      await assert.rejects(help('owner'), { code: 'self_help' });
      const { ok, codes } = await settle(Array.from({ length: 10 }, (_, i) => help(`f${i}`)));
      assert.equal(ok.length, 3);
      assert.equal(ok.filter((o) => o.completedNow).length, 1);
      assert.ok(codes.every((c) => c === 'ended'), codes.join());
      const done = await assists.assist('r', 'a1');
      assert.deepEqual([done!.status, done!.helpers.length, done!.order], ['completed', 3, 'o-reward-a1']);
      assert.deepEqual([(await c.orders.get('o-reward-a1'))!.source, (await c.orders.get('o-reward-a1'))!.user], ['assist', 'owner']);
      await assists.start({ room: 'r', campaign: 'ac', user: 'owner2', assistId: 'a2', shareCode: 'SHARE2', now });
      const helped = ok[0]!.assist.helpers[0]!;
      await assert.rejects(help(helped, 'a2'), { code: 'limit_reached' }, 'perHelperLimit spans the campaign\'s assists');
      assert.equal(await assists.expire('r', 'a2', now + 61_000), true);
      assert.equal(await assists.expire('r', 'a2', now + 61_000), false);
      await assert.rejects(help('newcomer', 'a2'), { code: 'expired' });
    });

    test('coupon grant: a reward within the quantity, once per coupon id', async () => {
      await c.coupons.create({ id: 'rw', room: 'r', title: 't', value: 500, minSpend: 0, quantity: 1, perUserLimit: 1, audience: {}, popupSec: 10, validDays: 1, status: 'created', left: 1, issued: 0 });
      const grants = await Promise.all([1, 2, 3].map(() => c.coupons.grant('r', 'rw', 'u', 'c-rw-u', Date.now())));
      assert.ok(grants.every((g) => g?.id === 'c-rw-u'));
      assert.equal(await c.coupons.grant('r', 'rw', 'v', 'c-rw-v', Date.now()), null, 'none left');
      assert.equal((await c.coupons.get('r', 'rw'))!.issued, 1);
    });

    test('the schedule hands each due key to one caller, again after its lease, never once done', async () => {
      const now = Date.now();
      await c.schedule.at('expire|r|a', now - 10);
      await c.schedule.at('expire|r|b', now + 60_000);
      const claims = await Promise.all(Array.from({ length: 5 }, () => c.schedule.claimDue(now, 1000, 10)));
      assert.deepEqual(claims.flat().filter((k) => k === 'expire|r|a'), ['expire|r|a']);
      assert.deepEqual((await c.schedule.claimDue(now + 1001, 1000, 10)).filter((k) => k.endsWith('|a')), ['expire|r|a']);
      await c.schedule.done('expire|r|a');
      assert.deepEqual((await c.schedule.claimDue(now + 5000, 1000, 10)).filter((k) => k.endsWith('|a')), []);
    });
  });
}
