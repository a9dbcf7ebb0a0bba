/** The retry wait: full jitter below the doubling ceiling, and never sooner than the other side asked. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, RetryLater, type RetryPolicy } from './queue.ts';

const policy: RetryPolicy = { attempts: 10, backoffMs: 100, maxBackoffMs: 1000, concurrency: 1 };

test('the wait is drawn uniformly below a ceiling that doubles up to the max', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(policy, n, undefined, () => 0.999)), [99, 199, 399, 799, 999, 999]);
  assert.deepEqual([1, 4].map((n) => backoffDelay(policy, n, undefined, () => 0)), [0, 0]);
  const waits = Array.from({ length: 2000 }, () => backoffDelay(policy, 4));
  assert.ok(waits.every((w) => w >= 0 && w < 800));
  const spread = new Set(waits.map((w) => Math.floor(w / 100)));
  assert.equal(spread.size, 8, 'every tenth of the range is drawn: retries of one storm spread out');
});

test('a RetryLater is not retried sooner than it asks, and no later than the max', () => {
  assert.equal(backoffDelay(policy, 1, new RetryLater('busy', 700), () => 0.5), 700);
  assert.equal(backoffDelay(policy, 5, new RetryLater('busy', 10), () => 0.5), 500);
  assert.equal(backoffDelay(policy, 1, new RetryLater('busy', 3_600_000), () => 0.5), 1000);
  assert.equal(backoffDelay(policy, 1, new Error('other'), () => 0.5), 50);
});
