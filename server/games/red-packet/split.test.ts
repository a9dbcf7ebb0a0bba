import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoomcastError } from '../../protocol/errors.ts';
import { MAX_SHARES, MAX_TOTAL_FEN, splitRedPacket } from './split.ts';

/** mulberry32: a tiny seeded PRNG, so every run of these tests draws the same numbers. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks every promise of a split, replaying what remained at each share's turn. */
function assertValidSplit(shares: number[], total: number, count: number): void {
  assert.equal(shares.length, count);
  let remaining = total;
  shares.forEach((share, i) => {
    const left = count - i;
    assert.ok(Number.isInteger(share) && share >= 1, `share ${i} of ${total}/${count} is ${share}`);
    assert.ok(share <= (2 * remaining) / left, `share ${i} of ${total}/${count} is ${share}, over twice the mean of ${remaining}/${left}`);
    assert.ok(share <= remaining - (left - 1), `share ${i} of ${total}/${count} leaves a later share empty`);
    remaining -= share;
  });
  assert.equal(remaining, 0, 'the shares add up to the total');
}

test('thousands of random packets: every share at least 1 fen, under twice the mean, summing exactly', () => {
  const pick = mulberry32(1);
  const int = (lo: number, hi: number) => lo + Math.floor(pick() * (hi - lo + 1));
  for (let i = 0; i < 5000; i++) {
    const count = i % 10 === 0 ? int(1000, MAX_SHARES) : int(1, 200);
    const kind = i % 4;
    const total = kind === 0 ? count : kind === 1 ? count + int(1, 10) : kind === 2 ? int(count, count * 500) : int(count, MAX_TOTAL_FEN);
    assertValidSplit(splitRedPacket(total, count, mulberry32(i)), total, count);
  }
});

test('edge cases: one share takes all, a total equal to the count gives 1 fen each, the ceilings are reachable', () => {
  assert.deepEqual(splitRedPacket(888, 1), [888]);
  assert.deepEqual(splitRedPacket(5, 5), [1, 1, 1, 1, 1]);
  assert.deepEqual(splitRedPacket(MAX_SHARES, MAX_SHARES), Array(MAX_SHARES).fill(1));
  assertValidSplit(splitRedPacket(MAX_TOTAL_FEN, MAX_SHARES, mulberry32(7)), MAX_TOTAL_FEN, MAX_SHARES);
  assertValidSplit(splitRedPacket(MAX_TOTAL_FEN, 2, mulberry32(7)), MAX_TOTAL_FEN, 2);
  assertValidSplit(splitRedPacket(MAX_TOTAL_FEN, 3), MAX_TOTAL_FEN, 3);
});

test('the random number maps onto [1, max]: 0 gives 1 fen, just under 1 gives the most allowed', () => {
  assert.deepEqual(splitRedPacket(100, 4, () => 0), [1, 1, 1, 97]);
  // 100/4: max 50; 50/3: max 33; 17/2: max 17 but the last share needs 1, so 16; then 1.
  assert.deepEqual(splitRedPacket(100, 4, () => 0.999999), [50, 33, 16, 1]);
  assert.deepEqual(splitRedPacket(10, 4, () => 0.999999), [5, 3, 1, 1], 'capped so each later share still gets 1 fen');
});

test('deterministic for a seeded random, and different seeds give different splits', () => {
  assert.deepEqual(splitRedPacket(10_000, 50, mulberry32(42)), splitRedPacket(10_000, 50, mulberry32(42)));
  const distinct = new Set(Array.from({ length: 20 }, (_, seed) => splitRedPacket(10_000, 50, mulberry32(seed)).join()));
  assert.equal(distinct.size, 20);
});

test('every position averages about the mean: grabbing early or late is about equally fair', () => {
  const runs = 20_000;
  const sums = Array<number>(5).fill(0);
  const random = mulberry32(99);
  for (let i = 0; i < runs; i++) splitRedPacket(1000, 5, random).forEach((share, j) => (sums[j]! += share));
  for (const sum of sums) {
    const mean = sum / runs;
    assert.ok(mean > 190 && mean < 210, `a position averaged ${mean} fen of a 200 fen mean`);
  }
});

test('refuses what cannot be split, as bad_request', () => {
  const refused = (total: number, count: number) =>
    assert.throws(() => splitRedPacket(total, count), (err: unknown) => err instanceof RoomcastError && err.code === 'bad_request' && err.message.length > 0, `${total}/${count}`);
  refused(100, 0);
  refused(100, -1);
  refused(100, 1.5);
  refused(100, Number.NaN);
  refused(MAX_SHARES + 1, MAX_SHARES + 1);
  refused(4, 5);
  refused(0, 1);
  refused(-100, 1);
  refused(100.5, 2);
  refused(Number.POSITIVE_INFINITY, 2);
  refused(MAX_TOTAL_FEN + 1, 1);
  assert.throws(() => splitRedPacket(4, 5), /4 fen cannot give each of 5 shares at least 1 fen/);
});
