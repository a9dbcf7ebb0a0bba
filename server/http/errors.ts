import type { Middleware } from 'koa';
import type { Logger } from '../observability/logger.ts';
import { RoomcastError, toRoomcastError } from '../protocol/errors.ts';

/** Every failure leaves as `{ error: { code, message } }` with the matching status; internals stay hidden. */
export function errorBody(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new RoomcastError('not_found', `no route ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const error = toRoomcastError(err);
      if (error.code === 'internal') log.error({ err, path: ctx.path }, 'request failed');
      ctx.status = error.status;
      ctx.body = { error };
    }
  };
}
