/**
 * Batched decisions against unbatched ones, on both engines: random taps (buyers past their limit,
 * repeats of one requestId, coupons that do not apply or are someone else's, more buyers than
 * stock; claims past the window; joins of full or own groups; self-helps and helps past a cap)
 * decided as batches of random sizes on one engine and one tap per call on another give the same
 * answers, tap by tap, and leave the same data. Buys, claims, joins and helps: every batched decision.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { RoomcastError } from '../protocol/errors.ts';
import type { Engine } from '../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../platform/engines.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix, type EngineKind } from '../testing/node.ts';
import { snapshot } from '../testing/snapshot.ts';
import { storesOf } from '../testing/stores.ts';
import type { BuyRequest } from './flash-sale/store.ts';

const T0 = 1_800_000_000_000;
const TTL = 3_600_000;
const RUNS: Record<EngineKind, number> = { memory: 60, redis: 15, cluster: 5 };

const users = ['u1', 'u2', 'u3', 'u4', 'u5'];

/** A sale, coupons given to some users, and the taps on it in arrival order; `cuts`: where the batches end. */
const flashScenario = fc.record({
  stock: fc.integer({ min: 1, max: 6 }),
  perUserLimit: fc.integer({ min: 1, max: 3 }),
  singleOrderLimit: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  coupons: fc.array(fc.record({ user: fc.constantFrom(...users), minSpend: fc.constantFrom(0, 100, 10_000), validFor: fc.constantFrom(-1, 3_600_000) }), { maxLength: 4 }),
  taps: fc.array(fc.record({
    user: fc.constantFrom(...users),
    qty: fc.integer({ min: 1, max: 3 }),
    requestId: fc.constantFrom('q1', 'q1', 'q2', 'q3'),
    coupon: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined, freq: 3 }),
  }), { minLength: 1, maxLength: 25 }),
  cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 25 }),
});

type Scenario = typeof flashScenario extends fc.Arbitrary<infer S> ? S : never;

/** A popped coupon, and claims of it (repeats, users past their limit, more claims than coupons, some after it closed). */
const couponScenario = fc.record({
  quantity: fc.integer({ min: 1, max: 6 }),
  perUserLimit: fc.integer({ min: 1, max: 3 }),
  claims: fc.array(fc.record({ user: fc.constantFrom(...users), requestId: fc.constantFrom('q1', 'q1', 'q2', 'q3', 'q4'), late: fc.boolean() }), { minLength: 1, maxLength: 25 }),
  cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 25 }),
});

type CouponScenario = typeof couponScenario extends fc.Arbitrary<infer S> ? S : never;

/** Open groups of a campaign, and joins of them (full groups, own groups, users past their limit, repeats, no such group). */
const joinScenario = fc.record({
  size: fc.integer({ min: 2, max: 3 }),
  perUserLimit: fc.integer({ min: 1, max: 2 }),
  leaders: fc.uniqueArray(fc.constantFrom(...users), { minLength: 1, maxLength: 3 }),
  joins: fc.array(fc.record({ user: fc.constantFrom(...users), group: fc.integer({ min: 0, max: 3 }), requestId: fc.constantFrom('q1', 'q1', 'q2') }), { minLength: 1, maxLength: 20 }),
  cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 }),
});

/** Assists started by some users, and helps of them (self-help, repeats, helpers past their cap, completed ones). */
const helpScenario = fc.record({
  target: fc.integer({ min: 1, max: 3 }),
  perHelperLimit: fc.integer({ min: 1, max: 2 }),
  priced: fc.boolean(),
  owners: fc.uniqueArray(fc.constantFrom(...users), { minLength: 1, maxLength: 3 }),
  helps: fc.array(fc.record({ user: fc.constantFrom(...users), assist: fc.integer({ min: 0, max: 3 }), requestId: fc.constantFrom('q1', 'q1', 'q2') }), { minLength: 1, maxLength: 20 }),
  cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 }),
});

/** Splits `items` into consecutive batches of the sizes in `cuts` (repeating the last), all of them used. */
function batches<T>(items: T[], cuts: number[]): T[][] {
  const out: T[][] = [];
  for (let i = 0, c = 0; i < items.length; c++) {
    const size = cuts[Math.min(c, cuts.length - 1)]!;
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Every request decided, alone or in batches cut at `cuts`; a refusal as its code. */
async function decideCut<R>(requests: R[], cuts: number[] | 'alone', decideAll: (batch: R[]) => Promise<Array<unknown>>): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const batch of cuts === 'alone' ? requests.map((r) => [r]) : batches(requests, cuts)) {
    for (const outcome of await decideAll(batch)) answers.push(outcome instanceof RoomcastError ? { refused: outcome.code } : outcome);
  }
  return answers;
}

async function runFlash(engine: Engine, s: Scenario, cuts: number[] | 'alone'): Promise<unknown[]> {
  const c = storesOf(engine);
  const room = 'r';
  await c.flash.create({ id: 's', room, product: { id: 'p', title: 'Tea', price: 500 }, price: 300, stock: s.stock, perUserLimit: s.perUserLimit, ...(s.singleOrderLimit ? { singleOrderLimit: s.singleOrderLimit } : {}), payWindowSec: 60, status: 'live', left: s.stock, sold: 0 });
  await c.coupons.create({ id: 'cc', room, title: 'Ten off', value: 100, minSpend: 0, quantity: 10, perUserLimit: 10, audience: {}, popupSec: 30, validDays: 1, status: 'created', left: 10, issued: 0 });
  for (const [i, coupon] of s.coupons.entries()) {
    await c.coupons.grant(room, 'cc', coupon.user, `x${i}`, T0 + coupon.validFor - 86_400_000);
  }
  const requests: BuyRequest[] = s.taps.map((tap, i) => ({
    room, sale: 's', user: tap.user, qty: tap.qty, requestId: tap.requestId, orderId: `o-${tap.user}-${tap.requestId}`,
    ...(tap.coupon === undefined ? {} : { coupon: `x${tap.coupon}` }), now: T0 + i, requestTtlMs: TTL,
  }));
  return decideCut(requests, cuts, (batch) => c.flash.buyAll(batch));
}

/** The engine's keys; a time to live only as "expires" (the two engines were written moments apart). */
async function data(engine: Engine): Promise<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(await snapshot(engine)).map(([k, v]) => [k, { ...v, ttl: v.ttl > 0 ? 'expires' : v.ttl }]));
}

async function runCoupon(engine: Engine, s: CouponScenario, cuts: number[] | 'alone'): Promise<unknown[]> {
  const c = storesOf(engine);
  const room = 'r';
  await c.coupons.create({ id: 'pop', room, title: 'Ten off', value: 100, minSpend: 0, quantity: s.quantity, perUserLimit: s.perUserLimit, audience: {}, popupSec: 30, validDays: 1, status: 'popped', poppedAt: T0, closesAt: T0 + 30_000, left: s.quantity, issued: 0 });
  const requests = s.claims.map((claim, i) => ({
    room, campaign: 'pop', user: claim.user, requestId: claim.requestId, couponId: `c-${claim.user}-${claim.requestId}`,
    now: claim.late ? T0 + 30_000 + i : T0 + i, requestTtlMs: TTL,
  }));
  return decideCut(requests, cuts, (batch) => c.coupons.claimAll(batch));
}

async function runJoins(engine: Engine, s: typeof joinScenario extends fc.Arbitrary<infer S> ? S : never, cuts: number[] | 'alone'): Promise<unknown[]> {
  const c = storesOf(engine);
  const room = 'r';
  await c.groups.create({ id: 'gb', room, product: { id: 'p', title: 'Tea', price: 500 }, price: 300, size: s.size, ttlSec: 600, perUserLimit: s.perUserLimit, status: 'live', opened: 0, formed: 0, failed: 0 });
  for (const [i, leader] of s.leaders.entries()) {
    await c.groups.open({ room, campaign: 'gb', user: leader, requestId: 'open', groupId: `g${i}`, orderId: `o-open-${leader}`, now: T0, requestTtlMs: TTL });
  }
  const requests = s.joins.map((j, i) => ({ room, campaign: 'gb', group: `g${j.group}`, user: j.user, requestId: j.requestId, orderId: `o-${j.user}-g${j.group}-${j.requestId}`, now: T0 + 1 + i, requestTtlMs: TTL }));
  return decideCut(requests, cuts, (batch) => c.groups.joinAll(batch));
}

async function runHelps(engine: Engine, s: typeof helpScenario extends fc.Arbitrary<infer S> ? S : never, cuts: number[] | 'alone'): Promise<unknown[]> {
  const c = storesOf(engine);
  const room = 'r';
  await c.assists.create({ id: 'ac', room, ...(s.priced ? { product: { id: 'p', title: 'Tea', price: 500 }, price: 100 } : {}), target: s.target, ttlSec: 600, perHelperLimit: s.perHelperLimit, reward: {}, status: 'live', started: 0, completed: 0 });
  for (const [i, owner] of s.owners.entries()) {
    await c.assists.start({ room, campaign: 'ac', user: owner, assistId: `a${i}`, shareCode: `CODE${i}`, now: T0 });
  }
  const requests = s.helps.map((h, i) => ({ room, campaign: 'ac', assist: `a${h.assist}`, user: h.user, helpId: `h-${h.user}-a${h.assist}-${h.requestId}`, now: T0 + 1 + i, requestTtlMs: TTL, rewardOrderId: `o-reward-a${h.assist}`, rewardPayWindowMs: 900_000 }));
  return decideCut(requests, cuts, (batch) => c.assists.helpAll(batch));
}

for (const kind of engines) {
  describe(`batched decisions on ${kind}: the same as one tap per call`, () => {
    const prefixes: string[] = [];
    const open = async (): Promise<Engine> => {
      if (kind === 'memory') return createMemoryEngine({ historySize: 10 });
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return createRedisEngine({ url: testRedisUrl(), prefix, historySize: 10 });
    };
    after(async () => {
      for (const prefix of prefixes) await deletePrefix(prefix);
    });

    /** `run` on two fresh engines, in batches (the scenario's cuts) and one tap per call: the same answers and data. */
    const sameInBatches = <S extends { cuts: number[] }>(scenario: fc.Arbitrary<S>, run: (engine: Engine, s: S, cuts: number[] | 'alone') => Promise<unknown[]>) => async () => {
      const seen = { refused: 0, decided: 0 };
      await fc.assert(fc.asyncProperty(scenario, async (s) => {
        const [batched, alone] = [await open(), await open()];
        try {
          const [inBatches, oneByOne] = [await run(batched, s, s.cuts), await run(alone, s, 'alone')];
          assert.deepStrictEqual(inBatches, oneByOne, 'the answers differ');
          assert.deepStrictEqual(await data(batched), await data(alone), 'the data differs');
          for (const a of inBatches) seen['refused' in (a as object) ? 'refused' : 'decided']++;
        } finally {
          await Promise.all([batched.close(), alone.close()]);
        }
      }), { numRuns: RUNS[kind], includeErrorInReport: true });
      assert.ok(seen.refused > 0 && seen.decided > 0, `both refusals and successes were decided (${JSON.stringify(seen)})`);
    };

    test('flash-sale buys: limits, repeats, coupons and the last unit decided in batches as alone', sameInBatches(flashScenario, runFlash));
    test('coupon claims: limits, repeats, the window and the last coupon decided in batches as alone', sameInBatches(couponScenario, runCoupon));
    test('group-buy joins: full and own groups, limits, repeats decided in batches as alone', sameInBatches(joinScenario, runJoins));
    test('assist helps: self-help, caps, repeats and completion decided in batches as alone', sameInBatches(helpScenario, runHelps));
  });
}
