import { createHmac } from 'node:crypto';

/** A viewer as others see them in one room: an opaque id, the same on every node. */
export type ViewerIds = (room: string, sub: string) => string;

/**
 * A viewer's `sub` is their WeChat unionid in production: nothing one viewer receives about another
 * carries it. They carry this instead: a keyed hash of the room and the sub (HMAC-SHA256 under a key
 * derived from `auth.jwtSecret`, so every node agrees and nobody without the secret can turn a sub
 * into it or back), 96 bits, different in every room so ids cannot be joined across rooms.
 */
export function viewerIds(jwtSecret: string): ViewerIds {
  const key = createHmac('sha256', jwtSecret).update('roomcast viewer ids v1').digest();
  return (room, sub) => `v${createHmac('sha256', key).update(`${room}\n${sub}`).digest('base64url').slice(0, 16)}`;
}
