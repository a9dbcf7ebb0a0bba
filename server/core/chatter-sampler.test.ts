import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatterSampler } from './chatter-sampler.ts';

test('keeps at most the budget, in arrival order, and counts the rest by type', () => {
  const sampler = new ChatterSampler(5);
  for (let i = 0; i < 300; i++) sampler.offer({ type: i % 3 ? 'comment' : 'ticker', data: i, ts: 0 });
  const { events, dropped } = sampler.drain();
  assert.equal(events.length, 5);
  const order = events.map((e) => e.data as number);
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
  assert.equal((dropped?.comment ?? 0) + (dropped?.ticker ?? 0), 295);
  assert.equal(sampler.empty, true);
  assert.deepEqual(sampler.drain(), { events: [], dropped: undefined });
});

test('samples uniformly: late arrivals are as likely to be kept as early ones', () => {
  const kept = new Array(100).fill(0);
  for (let round = 0; round < 2000; round++) {
    const sampler = new ChatterSampler(10);
    for (let i = 0; i < 100; i++) sampler.offer({ type: 'comment', data: i, ts: 0 });
    for (const e of sampler.drain().events) kept[e.data as number]++;
  }
  const firstHalf = kept.slice(0, 50).reduce((a, b) => a + b, 0);
  const secondHalf = kept.slice(50).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(firstHalf - secondHalf) / (firstHalf + secondHalf) < 0.05, `${firstHalf} vs ${secondHalf}`);
});

test('under budget nothing is dropped', () => {
  const sampler = new ChatterSampler(8);
  for (let i = 0; i < 8; i++) sampler.offer({ type: 'comment', data: i, ts: 0 });
  const { events, dropped } = sampler.drain();
  assert.equal(events.length, 8);
  assert.equal(dropped, undefined);
});
