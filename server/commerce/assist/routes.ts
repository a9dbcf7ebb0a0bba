import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { createAssistSchema } from './rules.ts';
import type { Assists } from './service.ts';

/** PROTOCOL.md: create assist campaigns; GET answers the live figures (started, open, completed). */
export function assistRoutes(assists: Assists): Router {
  const router = new Router({ prefix: '/v1/rooms/:room/assists' });
  router.post('/', async (ctx) => {
    ctx.status = 201;
    ctx.body = { assist: await assists.create(ctx.params.room!, await jsonBody(ctx, createAssistSchema)) };
  });
  router.get('/', async (ctx) => {
    ctx.body = { assists: await assists.list(ctx.params.room!) };
  });
  router.get('/:campaign', async (ctx) => {
    ctx.body = { assist: await assists.get(ctx.params.room!, ctx.params.campaign!) };
  });
  return router;
}
