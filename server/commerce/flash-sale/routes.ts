import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { createFlashSaleSchema } from './rules.ts';
import type { FlashSales } from './service.ts';

/** PROTOCOL.md: create, read (with live figures), start and stop flash sales. */
export function flashSaleRoutes(flash: FlashSales): Router {
  const router = new Router({ prefix: '/v1/rooms/:room/flash-sales' });
  router.post('/', async (ctx) => {
    ctx.status = 201;
    ctx.body = { sale: await flash.create(ctx.params.room!, await jsonBody(ctx, createFlashSaleSchema)) };
  });
  router.get('/', async (ctx) => {
    ctx.body = { sales: await flash.list(ctx.params.room!) };
  });
  router.get('/:sale', async (ctx) => {
    ctx.body = { sale: await flash.get(ctx.params.room!, ctx.params.sale!) };
  });
  router.post('/:sale/start', async (ctx) => {
    ctx.body = { sale: await flash.start(ctx.params.room!, ctx.params.sale!) };
  });
  router.post('/:sale/stop', async (ctx) => {
    ctx.body = { sale: await flash.stop(ctx.params.room!, ctx.params.sale!) };
  });
  return router;
}
