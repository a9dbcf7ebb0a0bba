import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { checkSignature, signature, signedHeaders } from './signing.ts';

const body = Buffer.from('{"orderId":"o1","status":"paid"}');

test('a signed body checks out; any change to body, timestamp, nonce or secret does not', () => {
  const headers = signedHeaders('s3cret-key', body.toString());
  assert.equal(checkSignature('s3cret-key', headers, body).ok, true);
  assert.deepEqual(checkSignature('other-key', headers, body), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(checkSignature('s3cret-key', headers, Buffer.from(body.toString().replace('paid', 'cancelled'))), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(checkSignature('s3cret-key', { ...headers, 'x-roomcast-nonce': 'another' }, body), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(checkSignature('s3cret-key', { ...headers, 'x-roomcast-signature': undefined }, body), { ok: false, reason: 'missing' });
});

test('the signature is HMAC-SHA256 over timestamp, nonce and raw body joined by newlines, and stale ones are refused', () => {
  assert.equal(signature('k', '1700000000000', 'n', 'b'), createHmac('sha256', 'k').update('1700000000000\nn\nb').digest('hex'));
  const old = signedHeaders('k', body.toString(), Date.now() - 301_000);
  assert.deepEqual(checkSignature('k', old, body), { ok: false, reason: 'stale' });
  const future = signedHeaders('k', body.toString(), Date.now() + 301_000);
  assert.deepEqual(checkSignature('k', future, body), { ok: false, reason: 'stale' });
});
