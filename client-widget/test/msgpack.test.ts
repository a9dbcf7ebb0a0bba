/**
 * The SDK's msgpack (src/sdk/msgpack.ts) against the server's (msgpackr, server/protocol/codec.ts):
 * the same bytes for every frame-shaped value, each reading what the other writes, and hostile
 * bytes read or refused, never a crash of another kind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode as serverDecode, encode as serverEncode } from '../../server/protocol/codec.ts';
import { decode, encode } from '../src/sdk/msgpack.ts';

/** Values as frames hold them: JSON, and the numbers and strings at the edges of each encoding. */
const edgeNumbers = fc.constantFrom(0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.5, -1.25, 1e300, Number.MIN_VALUE);
const strings = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'a'.repeat(31), 'a'.repeat(32), 'b'.repeat(255), 'c'.repeat(256), 'd'.repeat(70_000), '小林 🎁 尺码偏大吗？'));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), edgeNumbers, strings,
    // `__proto__` as a key is its own test below: msgpackr reads it as `__proto_`, the SDK as data.
    fc.array(tie('v'), { maxLength: 20 }), fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('v'), { maxKeys: 20 }), fc.array(fc.constant(0), { minLength: 16, maxLength: 17 })),
})).v;

test('the same bytes as the server for every frame-shaped value, and each reads the other', () => {
  fc.assert(fc.property(value, (v) => {
    const ours = encode(v);
    assert.deepEqual(Buffer.from(ours).toString('hex'), Buffer.from(serverEncode(v)).toString('hex'));
    assert.deepEqual(decode(serverEncode(v)), serverDecode(serverEncode(v)));
    assert.deepEqual(serverDecode(ours), decode(ours));
  }), { numRuns: 2000 });
});

test("the server's real frames, read as the server wrote them", () => {
  const frames = [
    { t: 'batch', room: 'spring-launch', seq: 42, events: [{ type: 'comment', data: { user: { id: 'vK2m8Qx0bLs4TnW7e', name: '小林' }, text: '尺码偏大吗？' }, ts: 1795334000012 }], state: { online: 1288, likes: 52011, 'flash:s1:left': 0 }, dropped: { comment: 312 } },
    { re: 7, ok: false, error: { code: 'sold_out', message: 'flash sale s1: sold out' } },
    { re: 8, ok: true, data: { order: { id: 'o-1', state: 'reserved', amount: 9900, payDeadline: 1795334900000 } } },
  ];
  for (const frame of frames) assert.deepEqual(decode(serverEncode(frame)), frame);
});

test('a key named __proto__ is data, not a prototype', () => {
  const evil = serverEncode(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
  const read = decode(evil) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(read), Object.prototype);
  assert.deepEqual(Object.keys(read), ['__proto__', 'a']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('hostile bytes: read as a value, or refused with an Error', () => {
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), value.map((v) => {
    const bytes = encode(v);
    return bytes.subarray(0, Math.floor(bytes.length / 2));
  })), (bytes) => {
    try {
      decode(bytes);
    } catch (err) {
      assert.ok(err instanceof Error && /^msgpack:|Offset is outside/.test(err.message), String(err));
    }
  }), { numRuns: 5000 });
});
