import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomcastError } from '../../protocol/errors.ts';
import { Batcher } from './batcher.ts';

test('requests within the window, and those arriving while a call is in flight, go together, in order, up to the cap', async () => {
  const calls: Array<[string, number[]]> = [];
  const batcher = new Batcher<number, string>(async (key, requests) => {
    calls.push([key, requests]);
    await sleep(20);
    return requests.map((n) => (n % 5 === 0 ? new RoomcastError('sold_out', `${n}`) : `${key}:${n}`));
  }, { windowMs: 5, maxSize: 4 });

  const first = [1, 2, 3].map((n) => batcher.submit('a', n));
  const other = batcher.submit('b', 9);
  await sleep(10);
  // The first call is in flight: these wait for it, then leave as batches of at most 4.
  const later = [4, 5, 6, 7, 8, 10].map((n) => batcher.submit('a', n));
  const settled = await Promise.allSettled([...first, other, ...later]);

  assert.deepEqual(calls, [['a', [1, 2, 3]], ['b', [9]], ['a', [4, 5, 6, 7]], ['a', [8, 10]]]);
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as RoomcastError).code)),
    ['a:1', 'a:2', 'a:3', 'b:9', 'a:4', 'sold_out', 'a:6', 'a:7', 'a:8', 'sold_out'], 'each its own answer; a refusal refuses only its request');
});

test('a full batch leaves at once; a call that fails fails each of its requests with unavailable, and the next batch still runs', async () => {
  let fail = true;
  const sizes: number[] = [];
  const batcher = new Batcher<number, number>(async (_key, requests) => {
    sizes.push(requests.length);
    if (fail) {
      fail = false;
      throw new Error('connection lost');
    }
    return requests;
  }, { windowMs: 1000, maxSize: 3 });
  const started = Date.now();
  const failed = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit('k', n)));
  assert.ok(Date.now() - started < 900, 'a full batch does not wait for its window');
  assert.deepEqual(failed.map((s) => s.status === 'rejected' && (s.reason as RoomcastError).code), ['unavailable', 'unavailable', 'unavailable']);
  assert.deepEqual(await Promise.all([4, 5, 6].map((n) => batcher.submit('k', n))), [4, 5, 6]);
  assert.deepEqual(sizes, [3, 3]);
});

test('window 0: requests of one turn of the event loop go together', async () => {
  const calls: number[][] = [];
  const batcher = new Batcher<number, number>(async (_key, requests) => (calls.push(requests), requests), { windowMs: 0, maxSize: 100 });
  await Promise.all([1, 2, 3].map((n) => batcher.submit('k', n)));
  await batcher.submit('k', 4);
  assert.deepEqual(calls, [[1, 2, 3], [4]]);
});
