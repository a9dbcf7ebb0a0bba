import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from './token-bucket.ts';

test('allows the burst, refuses past it, refills at the rate up to the burst', () => {
  let now = 0;
  const bucket = new TokenBucket(20, 5, () => now);
  const takes = (n: number) => Array.from({ length: n }, () => bucket.take()).filter(Boolean).length;
  assert.equal(takes(10), 5);
  now += 100;
  assert.equal(takes(10), 2, '100 ms at 20/s');
  now += 60_000;
  assert.equal(takes(10), 5, 'never more than the burst');
});
