/**
 * Numbers as Redis's Lua prints them: `tostring` (%.14g) and a number passed to redis.call (%.17g),
 * asked of a real Redis for thousands of doubles (ties, integers past 2^53, tiny and huge values),
 * and of the embedded store running the same script.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { testRedisUrl, uniquePrefix } from '../../../testing/node.ts';
import { EmbeddedStore } from './store.ts';
import { formatG } from './format.ts';
import { luaScriptFrom } from '../lua-script.ts';

const redis = new Redis(testRedisUrl());
const key = `${uniquePrefix()}:format`;
after(async () => {
  await redis.del(key);
  redis.disconnect();
});

const script = `
local out = {}
for _, text in ipairs(ARGV) do
  local x = tonumber(text)
  redis.call('SET', KEYS[1], x)
  out[#out + 1] = tostring(x)
  out[#out + 1] = redis.call('GET', KEYS[1])
end
return out`;

/** A seeded generator (mulberry32), so a failing run replays with ROOMCAST_SEED=<its seed>. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function doubles(seed: number): number[] {
  const r = random(seed);
  const bits = new BigUint64Array(1);
  const asDouble = new Float64Array(bits.buffer);
  const xs = [12345678901234.5, 99999999999999.5, 0.5, 2.5, 1e14, 1e15, 1e17, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e21, 0.1, 1e-5, 5e-324, 1.7976931348623157e308, -3.25, 1764612345678, -0];
  for (let i = 0; i < 2000; i++) {
    bits[0] = (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    if (Number.isFinite(asDouble[0])) xs.push(asDouble[0]!);
    xs.push(Math.round(r() * 1e9) / 2 ** Math.floor(r() * 12), Math.floor(r() * 2 ** 60));
  }
  return xs;
}

test('formatG(x, 14) is tostring(x) and formatG(x, 17) what redis.call makes of x, on Redis and on the embedded store', async (t) => {
  const seed = process.env.ROOMCAST_SEED ? Number(process.env.ROOMCAST_SEED) : Date.now() % 2 ** 32;
  t.diagnostic(`seed ${seed}`);
  const xs = doubles(seed);
  const args = xs.map((x) => (Object.is(x, -0) ? '-0' : x.toPrecision(17)));
  const expected = (await redis.eval(script, 1, key, ...args)) as string[];
  const embedded = (await new EmbeddedStore().run(luaScriptFrom('format-check', 1, script), [key], args)) as Buffer[];
  xs.forEach((x, i) => {
    assert.deepEqual([formatG(x, 14), formatG(x, 17)], [expected[2 * i], expected[2 * i + 1]], `${args[i]} (ROOMCAST_SEED=${seed})`);
  });
  assert.deepEqual(embedded.map(String), expected);
});
