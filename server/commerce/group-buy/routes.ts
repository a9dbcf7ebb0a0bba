import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { createGroupBuySchema } from './rules.ts';
import type { GroupBuys } from './service.ts';

/** PROTOCOL.md: create group-buys; GET answers the live figures (groups open, formed, failed). */
export function groupBuyRoutes(groups: GroupBuys): Router {
  const router = new Router({ prefix: '/v1/rooms/:room/group-buys' });
  router.post('/', async (ctx) => {
    ctx.status = 201;
    ctx.body = { groupBuy: await groups.create(ctx.params.room!, await jsonBody(ctx, createGroupBuySchema)) };
  });
  router.get('/', async (ctx) => {
    ctx.body = { groupBuys: await groups.list(ctx.params.room!) };
  });
  router.get('/:campaign', async (ctx) => {
    ctx.body = { groupBuy: await groups.get(ctx.params.room!, ctx.params.campaign!), groups: await groups.openGroups(ctx.params.room!, ctx.params.campaign!) };
  });
  return router;
}
