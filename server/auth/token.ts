import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { RoomcastError } from '../protocol/errors.ts';
import { chatSchema } from '../protocol/ops.ts';
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
});

/**
 * Verifies a viewer/host/manager JWT (HS256, `exp` required). Every failure is `unauthorized`
 * with the reason; tags past `maxTags` or not tag-shaped are dropped (each one is a topic).
 */
export async function verifyToken(token: string | undefined, secret: Uint8Array, maxTags: number): Promise<Identity> {
  if (!token) throw new RoomcastError('unauthorized', 'missing token');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }));
  } catch (err) {
    const reason = (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'invalid token';
    throw new RoomcastError('unauthorized', reason);
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new RoomcastError('unauthorized', 'token claims are malformed');
  const { sub, name, avatar, role, tags, channel, chats } = claims.data;
  return {
    sub,
    name: name ?? sub,
    role,
    tags: [...new Set(tags.filter((t) => tagPattern.test(t)))].slice(0, maxTags),
    ...(avatar ? { avatar } : {}),
    ...(channel ? { channel } : {}),
    ...(chats.length ? { chats: chats.filter((c) => chatSchema.safeParse(c).success) } : {}),
  };
}

export interface TokenClaims {
  sub: string;
  name?: string;
  avatar?: string;
  role?: Identity['role'];
  tags?: string[];
  channel?: string;
  chats?: string[];
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
