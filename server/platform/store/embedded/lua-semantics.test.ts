/**
 * Lua as Redis runs it, case by case, on a real Redis and on the embedded store: numbers past 32 bits
 * from every source (numerals, lengths, library results, hexadecimal), error texts with their script
 * and line, pcall's error values, error replies, and the replies of edge cases. The differential test
 * covers what Roomcast's scripts do; these cover what a new script might.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testRedisUrl, uniquePrefix } from '../../../testing/node.ts';
import { RedisStore } from '../redis/store.ts';
import { luaScriptFrom } from '../lua-script.ts';
import type { Store } from '../store.ts';
import { EmbeddedStore } from './store.ts';

const CASES: Array<[string, string]> = [
  ['big products of library integers', 'return {math.floor(100000.5) * math.floor(100000.5), string.len("abcde") * 2^40}'],
  ['a length past 2^31 when squared', 'local t = {} for i = 1, 70000 do t[i] = i end return tostring(#t * #t)'],
  ['hexadecimal numerals', "return {tostring(tonumber('0xFFFFFFFF')), tostring(0x7FFFFFFF * 4), tostring(tonumber('-0x10'))}"],
  ['ipairs and next indexes are doubles', "local out = {} for i, v in ipairs({5, 6}) do out[#out + 1] = tostring(i * 2^33) end for k in pairs({7}) do out[#out + 1] = tostring(k * 2^33) end return out"],
  ['a runtime error names the script and its line', "local a = 1\nerror('boom')"],
  ['a raw error string is made an ERR', "error('ERR x', 0)"],
  ['an error table keeps its text', "error({err='MY thing'})"],
  ['a failed redis.call names the line that called it', "redis.call('SET', KEYS[1], 'abc')\n\nreturn redis.call('INCR', KEYS[1])"],
  ['pcall of a failed redis.call answers its text', "redis.call('SET', KEYS[1], 'abc') local ok, e = pcall(redis.call, 'INCR', KEYS[1]) return {tostring(ok), type(e), e}"],
  ['pcall of an error table with err answers the text, other tables stay tables', "local _, a = pcall(error, {err='X'}) local _, b = pcall(error, {foo='X'}) return {type(a), type(b)}"],
  ['pcall keeps every result, nils too', 'return select("#", pcall(function() return 1, nil end))'],
  ['xpcall sees the error table itself', "redis.call('SET', KEYS[1], 'abc') local _, e = xpcall(function() return redis.call('INCR', KEYS[1]) end, function(x) return type(x) end) return e"],
  ['redis.pcall answers an error table', "redis.call('SET', KEYS[1], 'abc') local r = redis.pcall('INCR', KEYS[1]) return {type(r), r.err}"],
  ['an error reply loses one leading dash', "return redis.error_reply('-FOO bar')"],
  ['a status reply', "return redis.status_reply('FINE')"],
  ['redis.call without a command', 'return redis.call()'],
  ['redis.call with a table argument', "return redis.call('GET', {})"],
  ['an unknown command', "return redis.call('NOPE')"],
  ['a score that overflows a double is refused', "return redis.call('ZADD', KEYS[1], '1e400', 'm')"],
  ['XRANGE COUNT 0 on a stream is a null', "redis.call('XADD', KEYS[1], '*', 'f', 'v') return {redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 0)}"],
  ['XRANGE COUNT 0 on no stream is empty', "return redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 0)"],
  ['NaN and floats in msgpack', 'return {cmsgpack.pack(0/0), cmsgpack.pack(1.5), cmsgpack.pack(0.1), cmsgpack.pack(2^40)}'],
  ['numbers as script results and as tostring', 'return {3.99, -2.5, tostring(10/2), tostring(1e15), tostring(-0), tostring(2^53)}'],
  ['Lua 5.3 names are absent, 5.1 ones present', "return {type(math.type), type(table.pack), type(unpack), type(math.log10), type(table.getn), type(string.gfind), math.log10(1000)}"],
];

const prefix = uniquePrefix();
let stores: Store[];
before(async () => {
  stores = [await RedisStore.connect(testRedisUrl()), new EmbeddedStore()];
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

/** A script's reply (bytes as hex) or its error's whole text, with the key it used emptied after. */
async function outcome(store: Store, name: string, source: string): Promise<unknown> {
  const key = `${prefix}:${name.replace(/\W+/g, '-')}`;
  try {
    return hex(await store.run(luaScriptFrom('semantics', 1, source), [key], []));
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    await store.call('DEL', key);
  }
}

function hex(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('hex');
  return Array.isArray(reply) ? reply.map(hex) : reply;
}

for (const [name, source] of CASES) {
  test(`as on Redis: ${name}`, async () => {
    const [onRedis, embedded] = [await outcome(stores[0]!, name, source), await outcome(stores[1]!, name, source)];
    assert.deepStrictEqual(embedded, onRedis);
  });
}
