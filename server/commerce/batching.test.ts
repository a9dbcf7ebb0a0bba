/**
 * Batched decisions against unbatched ones, on both engines: random taps (buyers past their limit,
 * repeats of one requestId, coupons that do not apply or are someone else's, more buyers than
 * stock) decided as batches of random sizes on one engine and one tap per call on another give the
 * same answers, tap by tap, and leave the same data.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../platform/engine.ts';
import { createMemoryEngine, createRedisEngine } from '../platform/engines.ts';
import { deletePrefix, engines, testRedisUrl, uniquePrefix, type EngineKind } from '../testing/node.ts';
import { snapshot } from '../testing/snapshot.ts';
import { storesOf } from '../testing/stores.ts';
import type { BuyRequest } from './flash-sale/store.ts';

const T0 = 1_800_000_000_000;
const TTL = 3_600_000;
const RUNS: Record<EngineKind, number> = { memory: 60, redis: 15 };

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
  const answers: unknown[] = [];
  for (const batch of cuts === 'alone' ? requests.map((r) => [r]) : batches(requests, cuts)) {
    for (const outcome of await c.flash.buyAll(batch)) answers.push(outcome instanceof Error ? { refused: outcome.code } : outcome);
  }
  return answers;
}

/** The engine's keys; a time to live only as "expires" (the two engines were written moments apart). */
async function data(engine: Engine): Promise<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(await snapshot(engine)).map(([k, v]) => [k, { ...v, ttl: v.ttl > 0 ? 'expires' : v.ttl }]));
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

    test('flash-sale buys: limits, repeats, coupons and the last unit decided in batches as alone', async () => {
      let refusedAndSold = { refused: 0, sold: 0 };
      await fc.assert(fc.asyncProperty(flashScenario, async (s) => {
        const [batched, alone] = [await open(), await open()];
        try {
          const [inBatches, oneByOne] = [await runFlash(batched, s, s.cuts), await runFlash(alone, s, 'alone')];
          assert.deepStrictEqual(inBatches, oneByOne, 'the answers differ');
          assert.deepStrictEqual(await data(batched), await data(alone), 'the data differs');
          for (const a of inBatches) refusedAndSold = { refused: refusedAndSold.refused + ('refused' in (a as object) ? 1 : 0), sold: refusedAndSold.sold + ('refused' in (a as object) ? 0 : 1) };
        } finally {
          await Promise.all([batched.close(), alone.close()]);
        }
      }), { numRuns: RUNS[kind], includeErrorInReport: true });
      assert.ok(refusedAndSold.refused > 0 && refusedAndSold.sold > 0, 'both refusals and sales were decided');
    });
  });
}
