/**
 * Expiry on the embedded store against Redis, in real time (the differential test freezes the
 * clock): keys given a time to live by SET PX, PEXPIRE and inside a script are gone after it, a
 * SET drops the time to live and an HSET keeps it as on Redis, and a script sees one clock.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testRedisUrl, uniquePrefix } from '../../../testing/node.ts';
import { RedisStore } from '../redis/store.ts';
import { luaScriptFrom } from '../lua-script.ts';
import type { CommandLine, Store } from '../store.ts';
import { EmbeddedStore } from './store.ts';

const prefix = uniquePrefix();
const k = (name: string) => `${prefix}:${name}`;
const stores: Store[] = [];
after(async () => {
  await stores[0]?.call('DEL', ...['s', 'h', 'z', 'dropped', 'scripted', 'long'].map(k));
  await Promise.all(stores.map((s) => s.close()));
});

/** Sets a hash's field and its expiry, then reads both: all at the script's one instant. */
const setAndRead = luaScriptFrom('expiry-check', 1, `
redis.call('HSET', KEYS[1], 'f', 'v')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {redis.call('PTTL', KEYS[1]), redis.call('EXISTS', KEYS[1])}`);

test('keys expire on the embedded store as on Redis', async () => {
  stores.push(await RedisStore.connect(testRedisUrl()), new EmbeddedStore());
  const onBoth = async (lines: CommandLine[]) => Promise.all(stores.map(async (store) => {
    const replies: unknown[] = [];
    for (const [command, ...args] of lines) replies.push(await store.call(command, ...args));
    return replies;
  }));

  const setUp: CommandLine[] = [
    ['SET', k('s'), 'v', 'PX', 120],
    ['HSET', k('h'), 'a', '1'], ['PEXPIRE', k('h'), 120],
    ['ZADD', k('z'), 1, 'm'], ['PEXPIRE', k('z'), 120],
    ['HSET', k('long'), 'a', '1'], ['PEXPIRE', k('long'), 60_000],
    ['SET', k('dropped'), 'v', 'PX', 120], ['SET', k('dropped'), 'w'],
    ['EXISTS', k('s'), k('h'), k('z'), k('dropped')],
    ['PTTL', k('dropped')],
  ];
  const [onRedis, embedded] = await onBoth(setUp);
  assert.deepEqual(embedded, onRedis);
  assert.deepEqual(await Promise.all(stores.map((s) => s.run(setAndRead, [k('scripted')], [120]))), [[120, 1], [120, 1]], 'a script reads its own instant');

  await sleep(200);
  const afterwards: CommandLine[] = [
    ['EXISTS', k('s'), k('h'), k('z'), k('dropped'), k('scripted'), k('long')],
    ['GET', k('s')], ['HGETALL', k('h')], ['ZRANGEBYSCORE', k('z'), '-inf', '+inf'], ['PTTL', k('h')], ['PTTL', k('dropped')], ['GET', k('dropped')],
    ['HSET', k('h'), 'b', '2'], ['PTTL', k('h')],
  ];
  const [redisLater, embeddedLater] = await onBoth(afterwards);
  assert.deepEqual(embeddedLater, redisLater);
  assert.equal(redisLater![0], 2, 'the long-lived key and the one whose expiry a SET dropped are left');
});
