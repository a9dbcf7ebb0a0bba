import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PrivateRedis } from '../testing/redis-server.ts';
import { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { SLOTS, slotOfKey, tagOfSlot } from './slots.ts';

test('slots are Redis\'s own: CLUSTER KEYSLOT agrees on tags, untagged keys, unicode and empty tags', async () => {
  const redis = await PrivateRedis.start({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', `roomcast-nodes-${process.pid}-${Date.now()}.conf`, '--dir', tmpdir()] });
  const client = new Redis(redis.url);
  try {
    const keys = ['rc:room:{spring-launch}:seq', 'plain-key', '{a}x', 'a{}b', 'x{}{y}', '{直播间}:orders', 'rc:idx:{s123}:schedule', ...Array.from({ length: 200 }, (_, i) => `k${i}:${Math.random()}`)];
    for (const key of keys) assert.equal(slotOfKey(key), Number(await client.call('CLUSTER', 'KEYSLOT', key)), key);
  } finally {
    client.disconnect();
    await redis.remove();
  }
});

test('every slot has a tag that lands in it', () => {
  for (let slot = 0; slot < SLOTS; slot += 97) assert.equal(slotOfKey(`x:{${tagOfSlot(slot)}}:y`), slot);
  assert.equal(slotOfKey(`{${tagOfSlot(SLOTS - 1)}}`), SLOTS - 1);
});
