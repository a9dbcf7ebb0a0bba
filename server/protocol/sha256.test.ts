import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { sha256 } from './sha256.ts';
import { utf8Encode } from './utf8.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('sha256 equals Node\'s on random bytes, every length across the padding boundaries included', () => {
  for (let n = 0; n <= 200; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
    assert.equal(hex(sha256(bytes)), createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => hex(sha256(bytes)) === createHash('sha256').update(bytes).digest('hex')), { numRuns: 300 });
});

test('utf8Encode writes what TextEncoder writes, lone surrogates included', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => Buffer.from(utf8Encode(s)).equals(Buffer.from(new TextEncoder().encode(s)))), { numRuns: 1000 });
  assert.deepEqual(utf8Encode('\ud800x'), [...new TextEncoder().encode('\ud800x')]);
});
