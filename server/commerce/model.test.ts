/**
 * Model-based test: random interleavings of buys, releases, claims, group opens, joins and expiries,
 * assist starts, helps and expiries, fired in concurrent batches against each engine. After every
 * batch the invariants of ARCHITECTURE.md are checked against what the engine holds. The seed is
 * printed; ROOMCAST_SEED=<n> replays a run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Assist } from './assist/model.ts';
import type { Group } from './group-buy/model.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix } from '../testing/node.ts';
import type { Engine } from '../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../platform/engines.ts';
import { storesOf, type Stores } from '../testing/stores.ts';

const seed = Number(process.env.ROOMCAST_SEED ?? Date.now() % 1_000_000);
const BATCHES = 40;
const PER_BATCH = 10;
const USERS = 12;
const product = { id: 'p', title: 'P', price: 100 };
const STOCK = 8;
const PER_USER = 2;
const COUPONS = 6;

/** mulberry32: small, seedable, good enough to pick operations. */
function prng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const kind of engines) {
  describe(`commerce model (seed ${seed}): ${kind}`, () => {
    const prefix = uniquePrefix();
    let engine: Engine;
    let stores: Stores;
    const random = prng(seed);
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(random() * xs.length)];
    const user = () => `u${Math.floor(random() * USERS)}`;
    let n = 0;
    const orders = new Set<string>();
    const coupons = new Set<string>();
    const groups = new Set<string>();
    const assists = new Set<string>();

    before(async () => {
      engine = kind === 'memory' ? createMemoryEngine({ historySize: 10 }) : await createRedisEngine({ url: testRedisUrl(), prefix, historySize: 10 });
      stores = storesOf(engine);
      const c = stores;
      await c.flash.create({ id: 'f', room: 'm', product, price: 90, stock: STOCK, perUserLimit: PER_USER, payWindowSec: 60, status: 'live', left: STOCK, sold: 0 });
      await c.coupons.create({ id: 'c', room: 'm', title: 't', value: 10, minSpend: 0, quantity: COUPONS, perUserLimit: 2, audience: {}, popupSec: 3600, validDays: 1, status: 'popped', left: COUPONS, issued: 0, poppedAt: Date.now(), closesAt: Date.now() + 3_600_000 });
      await c.groups.create({ id: 'g', room: 'm', product, price: 50, size: 3, ttlSec: 60, perUserLimit: 2, status: 'live', opened: 0, formed: 0, failed: 0 });
      await c.assists.create({ id: 'a', room: 'm', target: 3, ttlSec: 60, perHelperLimit: 2, reward: {}, status: 'live', started: 0, completed: 0 });
    });
    after(async () => {
      await engine.close();
      if (kind === 'redis') await deletePrefix(prefix);
    });

    const operations: Array<() => Promise<unknown>> = [
      async () => {
        const u = user();
        const requestId = `r${n++ % 50}`;
        const { order } = await stores.flash.buy({ room: 'm', sale: 'f', user: u, qty: 1 + Math.floor(random() * 2), requestId, orderId: `o-${u}-${requestId}`, now: Date.now(), requestTtlMs: 600_000 });
        orders.add(order.id);
      },
      async () => {
        const id = pick([...orders]);
        if (id) await stores.flash.release('m', id, Date.now() + 61_000);
      },
      async () => {
        const u = user();
        const requestId = `c${n++ % 40}`;
        const { coupon } = await stores.coupons.claim({ room: 'm', campaign: 'c', user: u, couponId: `c-${u}-${requestId}`, requestId, now: Date.now(), requestTtlMs: 600_000 });
        coupons.add(coupon.id);
      },
      async () => {
        const u = user();
        const requestId = `g${n++}`;
        const { group } = await stores.groups.open({ room: 'm', campaign: 'g', user: u, groupId: `g-${requestId}`, orderId: `og-${u}-${requestId}`, requestId, now: Date.now(), requestTtlMs: 600_000 });
        groups.add(group.id);
      },
      async () => {
        const id = pick([...groups]);
        const u = user();
        const requestId = `j${n++}`;
        if (id) await stores.groups.join({ room: 'm', group: id, campaign: 'g', user: u, orderId: `oj-${u}-${requestId}`, requestId, now: Date.now(), requestTtlMs: 600_000 });
      },
      async () => {
        const id = pick([...groups]);
        if (id) await stores.groups.expire('m', id, Date.now() + 61_000);
      },
      async () => {
        const u = user();
        const { assist } = await stores.assists.start({ room: 'm', campaign: 'a', user: u, assistId: `a-${u}-${n++}`, shareCode: `S${n}`, now: Date.now() });
        assists.add(assist.id);
      },
      async () => {
        const id = pick([...assists]);
        if (id) await stores.assists.help({ room: 'm', assist: id, campaign: 'a', user: user(), helpId: `h${n++}`, now: Date.now(), requestTtlMs: 600_000, rewardOrderId: `or-${id}`, rewardPayWindowMs: 60_000 });
      },
      async () => {
        const id = pick([...assists]);
        if (id && random() < 0.3) await stores.assists.expire('m', id, Date.now() + 61_000);
      },
    ];

    async function checkInvariants(batch: number): Promise<void> {
      stores = storesOf(engine);
      const c = stores;
      const at = `after batch ${batch} (seed ${seed})`;
      // Flash sale: never oversold, stock accounted for, per-user limit holds.
      const sale = (await c.flash.get('m', 'f'))!;
      assert.ok(sale.left >= 0, `left ${sale.left} ${at}`);
      assert.equal(sale.left + sale.sold, STOCK, at);
      const held = (await Promise.all([...orders].map((id) => c.orders.get(id)))).filter((o) => o?.state === 'reserved');
      assert.equal(held.reduce((sum, o) => sum + o!.qty, 0), sale.sold, `reserved units == sold ${at}`);
      const perUser = new Map<string, number>();
      for (const o of held) perUser.set(o!.user, (perUser.get(o!.user) ?? 0) + o!.qty);
      for (const [u, q] of perUser) assert.ok(q <= PER_USER, `${u} holds ${q} ${at}`);
      // Coupons: never over-issued.
      const coupon = (await c.coupons.get('m', 'c'))!;
      assert.ok(coupon.issued <= COUPONS && coupon.issued + coupon.left === COUPONS, at);
      assert.equal(coupon.issued, coupons.size, `issued == distinct coupons handed out ${at}`);
      // Group-buys: never over-filled, formed exactly at size, one open group per user.
      const all = (await Promise.all([...groups].map((id) => c.groups.group('m', id)))) as Group[];
      const openBy = new Map<string, number>();
      for (const g of all) {
        assert.ok(g.members.length <= g.size, `group ${g.id} has ${g.members.length} ${at}`);
        assert.equal(g.status === 'formed', g.members.length === g.size, `group ${g.id} ${g.status} with ${g.members.length} ${at}`);
        assert.equal(new Set(g.members).size, g.members.length, `no one twice in ${g.id} ${at}`);
        if (g.status === 'open') for (const m of g.members) openBy.set(m, (openBy.get(m) ?? 0) + 1);
        if (g.status === 'failed') {
          for (const id of g.orders) assert.notEqual((await c.orders.get(id))!.state, 'reserved', `failed group ${g.id} released ${id} ${at}`);
        }
      }
      for (const [m, count] of openBy) assert.equal(count, 1, `${m} is in ${count} open groups ${at}`);
      const campaign = (await c.groups.get('m', 'g'))!;
      assert.equal(campaign.formed, all.filter((g) => g.status === 'formed').length, `formed once each ${at}`);
      // Assists: one help per helper, no self-help, complete exactly at target, per-helper cap.
      const helps = new Map<string, number>();
      const allAssists = (await Promise.all([...assists].map((id) => c.assists.assist('m', id)))) as Assist[];
      for (const a of allAssists) {
        assert.ok(a.helpers.length <= a.target && !a.helpers.includes(a.owner), `assist ${a.id} ${at}`);
        assert.equal(new Set(a.helpers).size, a.helpers.length, at);
        assert.equal(a.status === 'completed', a.helpers.length === a.target, `assist ${a.id} ${a.status} ${at}`);
        for (const h of a.helpers) helps.set(h, (helps.get(h) ?? 0) + 1);
      }
      for (const [h, count] of helps) assert.ok(count <= 2, `${h} helped ${count} times ${at}`);
      assert.equal((await c.assists.get('m', 'a'))!.completed, allAssists.filter((a) => a.status === 'completed').length, `completed once each ${at}`);
    }

    test(`${BATCHES} batches of ${PER_BATCH} concurrent random operations keep every invariant`, async () => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const ops = Array.from({ length: PER_BATCH }, () => pick(operations)!);
        const results = await Promise.allSettled(ops.map((op) => op()));
        for (const r of results) {
          if (r.status === 'rejected' && !r.reason?.code) throw r.reason;
          if (r.status === 'rejected') assert.notEqual(r.reason.code, 'internal', String(r.reason.message));
        }
        await checkInvariants(batch);
      }
      assert.ok(orders.size > 0 && groups.size > 0 && assists.size > 0, 'the run exercised every tool');
    });
  });
}
