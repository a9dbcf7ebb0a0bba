import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { RoomcastError } from '../protocol/errors.ts';

/**
 * `Authorization: Bearer <apiKey>`, or HTTP Basic with the key as the password (what a browser can
 * send, for the dashboard; `browser` makes a refusal ask for it). Compared in constant time over
 * digests of equal length.
 */
export function requireApiKey(keys: readonly string[], { browser = false } = {}): Middleware {
  const digests = keys.map(digest);
  return async (ctx, next) => {
    const key = presentedKey(ctx.get('authorization'));
    if (key === undefined || !digests.some((d) => timingSafeEqual(d, digest(key)))) {
      if (browser) ctx.set('www-authenticate', 'Basic realm="roomcast", charset="UTF-8"');
      throw new RoomcastError('unauthorized', 'missing or unknown API key');
    }
    await next();
  };
}

function presentedKey(header: string): string | undefined {
  if (header.startsWith('Bearer ')) return header.slice(7);
  if (!header.startsWith('Basic ')) return undefined;
  const credentials = Buffer.from(header.slice(6), 'base64').toString();
  const colon = credentials.indexOf(':');
  return colon >= 0 ? credentials.slice(colon + 1) : undefined;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
