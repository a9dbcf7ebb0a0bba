import Router from '@koa/router';
import { jsonBody } from '../http/body.ts';
import { createPoolSchema } from './routing/rules.ts';
import type { WeComRouting } from './routing/service.ts';
import type { GroupWarming } from './warming/warming.ts';

/**
 * `POST|GET /v1/wecom/pools` and `GET /v1/wecom/figures` (API key). Each pool listed says which of
 * its groups still need the welcome template applied.
 */
export function wecomRoutes(routing: WeComRouting, warming: GroupWarming): Router {
  const router = new Router({ prefix: '/v1/wecom' });
  router.post('/pools', async (ctx) => {
    ctx.status = 201;
    ctx.body = { pool: await routing.createPool(await jsonBody(ctx, createPoolSchema)) };
  });
  router.get('/pools', async (ctx) => {
    const pools = await routing.pools();
    ctx.body = { pools: await Promise.all(pools.map(async (pool) => ({ ...pool, welcome: await warming.summary(pool.id) }))) };
  });
  router.get('/figures', async (ctx) => {
    ctx.body = { figures: await routing.figures() };
  });
  return router;
}
