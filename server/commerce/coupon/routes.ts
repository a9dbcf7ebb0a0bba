import type Router from '@koa/router';
import { campaignRouter } from '../campaign-routes.ts';
import { createCouponSchema } from './schema.ts';
import type { Coupons } from './service.ts';

/** `/v1/rooms/:room/coupons` (PROTOCOL.md "Campaigns"): create, list, read, and the host's pop. */
export function couponRoutes(coupons: Coupons): Router {
  return campaignRouter({
    path: 'coupons', one: 'coupon', many: 'coupons', schema: createCouponSchema,
    create: (room, input) => coupons.create(room, input),
    list: (room) => coupons.list(room),
    read: async (room, id) => ({ coupon: await coupons.get(room, id) }),
    actions: { pop: (room, id) => coupons.pop(room, id) },
  });
}
