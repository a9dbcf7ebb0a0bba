import Router from '@koa/router';
import { jsonBody } from '../http/body.ts';
import { createPoolSchema } from './routing/rules.ts';
import type { WeComRouting } from './routing/service.ts';

/** `POST|GET /v1/wecom/pools` and `GET /v1/wecom/figures` (API key). */
export function wecomRoutes(routing: WeComRouting): Router {
  const router = new Router({ prefix: '/v1/wecom' });
  router.post('/pools', async (ctx) => {
    ctx.status = 201;
    ctx.body = { pool: await routing.createPool(await jsonBody(ctx, createPoolSchema)) };
  });
  router.get('/pools', async (ctx) => {
    ctx.body = { pools: await routing.pools() };
  });
  router.get('/figures', async (ctx) => {
    ctx.body = { figures: await routing.figures() };
  });
  return router;
}
