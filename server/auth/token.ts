import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { RoomcastError } from '../protocol/errors.ts';
import { chatSchema, idSchema } from '../protocol/ops.ts';
import type { Identity } from '../protocol/frames.ts';

const tagPattern = /^[A-Za-z0-9_-]{1,32}$/;

const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  name: z.string().max(64).optional(),
  avatar: z.string().max(1024).optional(),
  role: z.enum(['viewer', 'host', 'manager']).default('viewer'),
  tags: z.array(z.string()).max(64).default([]),
  channel: z.string().max(64).optional(),
  chats: z.array(z.string()).max(200).default([]),
  rooms: z.array(z.string()).max(200).default([]),
});

/**
 * Verifies a viewer/host/manager JWT (HS256, `exp` and `sub` required), synchronously: the native
 * transport must decide inside its upgrade handler, since this uWS build's `res.cork(() =>
 * res.upgrade())` after an await reads freed memory and can kill the new socket
 * (../shared/reference/cold-start-1006.md). The checks are jose's `jwtVerify` with
 * `{ algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }` (token.test.ts proves them equal).
 * Every failure is `unauthorized` with the reason; tags past `maxTags` or not tag-shaped are
 * dropped (each one is a topic).
 */
export function verifyToken(token: string | undefined, secret: Uint8Array, maxTags: number, now = Date.now()): Identity {
  if (!token) throw new RoomcastError('unauthorized', 'missing token');
  return identityOf(verifiedPayload(token, secret, Math.floor(now / 1000)), maxTags);
}

function verifiedPayload(token: string, secret: Uint8Array, nowSec: number): Record<string, unknown> {
  const invalid = () => new RoomcastError('unauthorized', 'invalid token');
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid();
  const [header64, payload64, signature64] = parts as [string, string, string];
  const header = jsonObject(header64);
  if (!header || header.alg !== 'HS256' || !knownCrit(header)) throw invalid();
  const expected = createHmac('sha256', secret).update(`${header64}.${payload64}`).digest();
  const given = base64url(signature64);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const payload = jsonObject(payload64);
  if (!payload || payload.sub === undefined || payload.exp === undefined) throw invalid();
  for (const claim of ['exp', 'iat', 'nbf'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'number') throw invalid();
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSec) throw invalid();
  if ((payload.exp as number) <= nowSec) throw new RoomcastError('unauthorized', 'token expired');
  return payload;
}

function identityOf(payload: unknown, maxTags: number): Identity {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new RoomcastError('unauthorized', 'token claims are malformed');
  const { sub, name, avatar, role, tags, channel, chats, rooms } = claims.data;
  return {
    sub,
    name: name ?? sub,
    role,
    tags: [...new Set(tags.filter((t) => tagPattern.test(t)))].slice(0, maxTags),
    ...(avatar ? { avatar } : {}),
    ...(channel ? { channel } : {}),
    ...(chats.length ? { chats: chats.filter((c) => chatSchema.safeParse(c).success) } : {}),
    ...(rooms.length ? { rooms: rooms.filter((r) => idSchema.safeParse(r).success) } : {}),
  };
}

/**
 * `crit` may name only `b64` (the one extension jose knows), and then `b64` must be true: a JWT's
 * payload is always encoded. Outside `crit`, `b64` means nothing.
 */
function knownCrit(header: Record<string, unknown>): boolean {
  const { crit } = header;
  return crit === undefined || (Array.isArray(crit) && crit.length > 0 && crit.every((c) => c === 'b64') && header.b64 === true);
}

/** Strict base64url (no padding, no other alphabet), as JWS compact serialization writes it. */
function base64url(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*$/.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64url') : undefined;
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = base64url(segment);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export interface TokenClaims {
  sub: string;
  name?: string;
  avatar?: string;
  role?: Identity['role'];
  tags?: string[];
  channel?: string;
  chats?: string[];
  rooms?: string[];
}

/** What the brand's backend does; used by `npm run token`, the demo and tests. */
export async function issueToken(claims: TokenClaims, secret: Uint8Array, ttlSec = 24 * 3600): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSec)
    .sign(secret);
}

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
