import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The mall handshake of PROTOCOL.md, both ways: hex HMAC-SHA256(secret, timestamp + "\n" + nonce +
 * "\n" + raw body) in `X-Roomcast-Signature`, with `X-Roomcast-Timestamp` (epoch ms) and
 * `X-Roomcast-Nonce`. Always over the raw bytes: JSON re-serialised by a framework breaks it.
 */
export const SignatureHeaders = {
  timestamp: 'x-roomcast-timestamp',
  nonce: 'x-roomcast-nonce',
  signature: 'x-roomcast-signature',
} as const;

/** A signed request older (or newer) than this is refused. */
export const MAX_CLOCK_SKEW_MS = 300_000;

export function signature(secret: string, timestamp: string, nonce: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n`).update(body).digest('hex');
}

/** Headers for a body about to be sent. */
export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomUUID();
  return {
    [SignatureHeaders.timestamp]: timestamp,
    [SignatureHeaders.nonce]: nonce,
    [SignatureHeaders.signature]: signature(secret, timestamp, nonce, body),
  };
}

export type SignatureCheck = { ok: true; nonce: string } | { ok: false; reason: 'missing' | 'stale' | 'bad_signature' };

/** Checks a received request's signature and freshness; the caller still refuses a reused nonce. */
export function checkSignature(secret: string, headers: Record<string, string | undefined>, body: Uint8Array, now = Date.now()): SignatureCheck {
  const timestamp = headers[SignatureHeaders.timestamp];
  const nonce = headers[SignatureHeaders.nonce];
  const given = headers[SignatureHeaders.signature];
  if (!timestamp || !nonce || !given || nonce.length > 128) return { ok: false, reason: 'missing' };
  const expected = Buffer.from(signature(secret, timestamp, nonce, body), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'bad_signature' };
  if (!/^\d{10,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > MAX_CLOCK_SKEW_MS) return { ok: false, reason: 'stale' };
  return { ok: true, nonce };
}
