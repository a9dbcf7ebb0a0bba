/**
 * The load-time check refuses what would run on one store and fail on the other, naming the script
 * and why; what Redis refuses to compile is asked of a real Redis, so the list is not a guess.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../../testing/node.ts';
import { luaScriptFrom } from './lua-script.ts';

const redis = new Redis(testRedisUrl());
after(() => redis.disconnect());

test('Lua 5.3 syntax that fengari compiles and Redis does not is refused at load', async () => {
  const cases: Array<[string, RegExp]> = [
    ['return 7 // 2', /integer division/],
    ['return 6 & 3', /bitwise/],
    ['return 6 | 3', /bitwise/],
    ['return ~6', /bitwise/],
    ['return 1 << 4', /bitwise/],
    ['goto done ::done:: return 1', /labels|goto/],
  ];
  for (const [source, why] of cases) {
    await assert.rejects(redis.eval(source, 0), /Error compiling script/, `Redis does not compile ${source}`);
    assert.throws(() => luaScriptFrom('t/syntax', 0, source), (err: Error) => why.test(err.message) && err.message.startsWith('lua script t/syntax: '), source);
  }
  assert.equal(luaScriptFrom('t/fine', 0, "local a = 1 ~= 2 -- 7 // 2 & 3 in a comment\nreturn {a, '7 // 2 | ~', [[::x:: goto]]}").name, 't/fine', 'operators inside comments and strings, and ~=, are Lua 5.1');
});

test('escapes Lua 5.1 reads as letters are refused at load', async () => {
  assert.equal(await redis.eval("return '\\x41'", 0), 'x41', 'Redis reads \\x41 as the text x41');
  for (const escape of ['\\x41', '\\z', '\\u{48}']) {
    assert.throws(() => luaScriptFrom('t/escape', 0, `return '${escape}'`), /escape/, escape);
  }
});

test('commands, options and argument counts the embedded store leaves out are refused at load, not at the first call', () => {
  const cases: Array<[string, RegExp]> = [
    ["return redis.call(KEYS[1])", /string literal/],
    ["return redis.call('OBJECT', 'ENCODING', KEYS[1])", /does not answer OBJECT/],
    ["return redis.call('XADD', KEYS[1], 'MAXLEN', '~', 100, '*', 'f', 'v')", /XADD ~/],
    ["return redis.call('ZADD', KEYS[1], 'NX', 1, 'm')", /ZADD NX/],
    ["return redis.call('SET', KEYS[1], 'v', 'KEEPTTL')", /SET KEEPTTL/],
    ["return redis.pcall('PEXPIRE', KEYS[1], 100, 'NX')", /PEXPIRE NX/],
    ["return redis.call('LPOP', KEYS[1], 2)", /wrong number of arguments/],
    ['return cjson.encode_keep_buffer(1)', /no cjson.encode_keep_buffer/],
  ];
  for (const [source, why] of cases) assert.throws(() => luaScriptFrom('t/command', 1, source), why, source);
  // Arguments that may expand (a call's results, unpack) are not counted.
  assert.ok(luaScriptFrom('t/expands', 1, "return redis.call('HSET', KEYS[1], unpack(ARGV))"));
  assert.ok(luaScriptFrom('t/set', 1, `redis.call('SET', KEYS[1], 'v', 'PX', 100, 'NX') return redis.call('XADD', KEYS[1] .. ':s', 'MAXLEN', 10, '*', 'f', 'v')`));
});
