import Router from '@koa/router';
import { z } from 'zod';
import type { Handlers } from '../../core/handlers.ts';
import { idSchema } from '../../protocol/ops.ts';
import { validated } from '../../protocol/validate.ts';
import { AUDIT_PAGE_MAX, type Audit } from './service.ts';

const pageQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
});

/** `GET /v1/rooms/:room/audit?before=&limit=`: newest first; `next` is the `before` of the next page. */
export function auditRoutes(audit: Audit, roomExists: (room: string) => Promise<unknown>): Router {
  const router = new Router();
  router.get('/v1/rooms/:room/audit', async (ctx) => {
    const room = validated(idSchema, ctx.params.room);
    const page = validated(pageQuery, ctx.query);
    await roomExists(room);
    ctx.body = await audit.page(room, page);
  });
  return router;
}

/** The same over the socket, for the room's host. */
export const auditOp = (audit: Audit): Handlers<'audit'> => ({
  async audit(session, { room, before, limit }) {
    session.requireHostOf(room);
    return audit.page(room, { ...(before ? { before } : {}), limit });
  },
});
