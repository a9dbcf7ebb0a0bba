import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { RoomcastError } from '../protocol/errors.ts';

/** `Authorization: Bearer <apiKey>`; compared in constant time over digests of equal length. */
export function requireApiKey(keys: readonly string[]): Middleware {
  const digests = keys.map(digest);
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const given = header.startsWith('Bearer ') ? digest(header.slice(7)) : undefined;
    if (!given || !digests.some((d) => timingSafeEqual(d, given))) throw new RoomcastError('unauthorized', 'missing or unknown API key');
    await next();
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
