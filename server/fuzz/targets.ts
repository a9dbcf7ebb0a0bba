/**
 * What `npm run fuzz` throws hostile input at: everything a stranger can send, run in process the
 * way the node runs it. Each target takes generated input and must either accept it or refuse it
 * with the typed error its caller turns into a clear answer (a close code, a 400/401); anything
 * else thrown is a crash. Generators are fast-check's (a coverage-guided fuzzer does not load here:
 * @jazzer.js/core 4 needs glibc 2.38), built from the formats' own pieces so that inputs get past
 * the first check often enough to reach the next.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { createAssistSchema } from '../commerce/assist/schema.ts';
import { createCouponSchema } from '../commerce/coupon/schema.ts';
import { createFlashSaleSchema } from '../commerce/flash-sale/schema.ts';
import { createGroupBuySchema } from '../commerce/group-buy/schema.ts';
import { parseJson } from '../http/body.ts';
import { notificationSchema } from '../orders/routes.ts';
import { checkSignature, signature, SignatureHeaders } from '../orders/signing.ts';
import { decode, encode } from '../protocol/codec.ts';
import { RoomcastError } from '../protocol/errors.ts';
import { parseClientFrame } from '../protocol/ops.ts';
import { rawQuery } from '../wecom/callback.ts';
import { WeComCrypto, WeComCryptoError } from '../wecom/crypto.ts';
import { encryptedField, parseFlatXml, toFlatXml, XmlError } from '../wecom/xml.ts';

export interface FuzzTarget {
  name: string;
  /** What a stranger sends, generated. */
  input: fc.Arbitrary<unknown>;
  /** Runs the input the way the node does; throws only on a crash (an untyped error). */
  run(input: unknown): void;
}

/** A refusal the caller answers clearly is not a crash; anything else is. */
function refusedAs(kinds: Array<abstract new (...args: never[]) => Error>, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (kinds.some((kind) => err instanceof kind)) return;
    throw err;
  }
}

/** Somewhat plausible ops: a real op name, a room, ids, nested junk; and any value at all. */
const opNames = ['join', 'leave', 'like', 'comment', 'ping', 'pin', 'flash.buy', 'flash.start', 'coupon.claim', 'coupon.pop', 'group.open', 'group.join', 'assist.start', 'assist.help', 'wecom.route', 'game.open', 'game.join', 'nope', '__proto__', 'constructor'];
const hostileValue = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.constantFrom(null, undefined, -0, Number.MAX_SAFE_INTEGER + 2, '\u0000', 'a'.repeat(70), { __proto__: { op: 'ping' } }));
const clientFrame = fc.oneof(
  fc.record({ id: hostileValue, op: fc.constantFrom(...opNames), room: hostileValue, sale: hostileValue, qty: hostileValue, requestId: hostileValue, text: hostileValue, product: hostileValue, resume: hostileValue, n: hostileValue, game: hostileValue }, { requiredKeys: ['op'] }),
  fc.anything(),
);

const frames: FuzzTarget = {
  name: 'frame',
  // Bytes off the socket: msgpack of generated frames, mutated, or raw bytes.
  input: fc.oneof(
    clientFrame.map((frame) => encodeLoose(frame)),
    fc.tuple(clientFrame, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([frame, at, byte]) => {
      const bytes = encodeLoose(frame);
      if (bytes.length) bytes[at % bytes.length] = byte;
      return bytes;
    }),
    fc.uint8Array({ maxLength: 512 }),
  ),
  run(input) {
    let value: unknown;
    try {
      value = decode(input as Uint8Array);
    } catch {
      return; // the transport closes with 1007 on any decode failure
    }
    refusedAs([RoomcastError], () => parseClientFrame(value));
  },
};

function encodeLoose(value: unknown): Uint8Array {
  try {
    return new Uint8Array(encode(value));
  } catch {
    return new Uint8Array();
  }
}

const TOKEN = 'fuzz-token';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const CORP = 'wwfuzzcorp';
const wecom = new WeComCrypto(TOKEN, AES_KEY, CORP);
const xmlPiece = fc.oneof(
  fc.constantFrom('<xml>', '</xml>', '<Encrypt>', '</Encrypt>', '<![CDATA[', ']]>', '<Item>', '</Item>', '<MemChangeList>', '</MemChangeList>', '<ToUserName>', '</ToUserName>', '<', '>', '</', '&amp;', '&#x3c;'),
  fc.string({ maxLength: 12 }),
  fc.base64String({ maxLength: 64 }),
);

const wecomCallback: FuzzTarget = {
  name: 'wecom-callback',
  // The envelope and query WeCom would POST: XML from its own pieces, sometimes sealed for real
  // (so the inner XML is reached), sometimes signed wrong, sometimes not XML at all.
  input: fc.record({
    envelope: fc.oneof(fc.array(xmlPiece, { maxLength: 40 }).map((p) => p.join('')), fc.string({ maxLength: 300 })),
    inner: fc.oneof(fc.array(xmlPiece, { maxLength: 40 }).map((p) => p.join('')), fc.dictionary(fc.stringMatching(/^[A-Za-z]\w{0,8}$/), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))).map(toFlatXml)),
    seal: fc.constantFrom('sealed', 'garbage', 'raw'),
    query: fc.string({ maxLength: 80 }),
  }),
  run(input) {
    const { envelope, inner, seal, query } = input as { envelope: string; inner: string; seal: string; query: string };
    refusedAs([RoomcastError], () => rawQuery(query));
    let encrypted: string;
    if (seal === 'sealed') encrypted = wecom.encrypt(inner);
    else {
      try {
        encrypted = encryptedField(envelope);
      } catch (err) {
        if (err instanceof XmlError) return;
        throw err;
      }
    }
    const timestamp = '1700000000';
    const nonce = 'n0nce';
    const sig = seal === 'garbage' ? 'f'.repeat(40) : wecom.signature(timestamp, nonce, encrypted);
    let opened: string;
    try {
      opened = wecom.open(sig, timestamp, nonce, encrypted);
    } catch (err) {
      if (err instanceof WeComCryptoError) return;
      throw err;
    }
    refusedAs([XmlError], () => parseFlatXml(opened));
  },
};

const MALL_SECRET = 'fuzz-mall-secret';
const notification = fc.record({
  orderId: hostileValue, mallOrderId: hostileValue, status: fc.oneof(fc.constantFrom('paid', 'cancelled', 'refunded'), hostileValue), paidAt: hostileValue, amount: hostileValue,
}, { requiredKeys: [] });

const mallNotify: FuzzTarget = {
  name: 'mall-notify',
  // A notification body (JSON of generated fields, or any bytes), signed right or wrong or not at all.
  input: fc.record({
    body: fc.oneof(notification.map((n) => jsonLoose(n)), fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'))),
    signed: fc.constantFrom('right', 'wrong', 'none', 'stale'),
    nonce: fc.oneof(fc.constant('n1'), fc.string({ maxLength: 200 })),
  }),
  run(input) {
    const { body, signed, nonce } = input as { body: string; signed: string; nonce: string };
    const bytes = Buffer.from(body);
    const now = Date.now();
    const timestamp = String(signed === 'stale' ? now - 3_600_000 : now);
    const headers: Record<string, string> = signed === 'none' ? {} : {
      [SignatureHeaders.timestamp]: timestamp,
      [SignatureHeaders.nonce]: nonce,
      [SignatureHeaders.signature]: signed === 'wrong' ? '00'.repeat(32) : signature(MALL_SECRET, timestamp, nonce, bytes),
    };
    const check = checkSignature(MALL_SECRET, headers, bytes, now);
    if (!check.ok) return;
    refusedAs([RoomcastError], () => parseJson(bytes, notificationSchema));
  },
};

function jsonLoose(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '{';
  }
}

const bodySchemas: Array<[string, z.ZodType]> = [
  ['flash sale', createFlashSaleSchema], ['coupon', createCouponSchema], ['group-buy', createGroupBuySchema], ['assist', createAssistSchema],
];

const httpJson: FuzzTarget = {
  name: 'http-json',
  // The API's JSON bodies: each create schema against generated objects with its field names, and junk.
  input: fc.record({
    schema: fc.nat({ max: bodySchemas.length - 1 }),
    body: fc.oneof(
      fc.dictionary(fc.constantFrom('id', 'product', 'price', 'stock', 'perUserLimit', 'startsAt', 'endsAt', 'title', 'value', 'quantity', 'audience', 'size', 'ttlSec', 'target', 'reward', 'payWindowSec', 'singleOrderLimit', '__proto__', 'constructor'), hostileValue).map(jsonLoose),
      fc.string({ maxLength: 300 }),
      fc.jsonValue().map(jsonLoose),
    ),
  }),
  run(input) {
    const { schema, body } = input as { schema: number; body: string };
    refusedAs([RoomcastError], () => parseJson(Buffer.from(body), bodySchemas[schema]![1]));
  },
};

export const targets: FuzzTarget[] = [frames, wecomCallback, mallNotify, httpJson];
