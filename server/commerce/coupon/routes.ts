import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { createCouponSchema } from './rules.ts';
import type { Coupons } from './service.ts';

/** PROTOCOL.md: create coupons, pop them, read their live figures. */
export function couponRoutes(coupons: Coupons): Router {
  const router = new Router({ prefix: '/v1/rooms/:room/coupons' });
  router.post('/', async (ctx) => {
    ctx.status = 201;
    ctx.body = { coupon: await coupons.create(ctx.params.room!, await jsonBody(ctx, createCouponSchema)) };
  });
  router.get('/', async (ctx) => {
    ctx.body = { coupons: await coupons.list(ctx.params.room!) };
  });
  router.get('/:coupon', async (ctx) => {
    ctx.body = { coupon: await coupons.get(ctx.params.room!, ctx.params.coupon!) };
  });
  router.post('/:coupon/pop', async (ctx) => {
    ctx.body = { coupon: await coupons.pop(ctx.params.room!, ctx.params.coupon!) };
  });
  return router;
}
