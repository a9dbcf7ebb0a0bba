import Router from '@koa/router';
import type { z } from 'zod';
import { jsonBody } from '../http/body.ts';
import { createAssistSchema } from './assist/schema.ts';
import type { Assists } from './assist/service.ts';
import { createCouponSchema } from './coupon/schema.ts';
import type { Coupons } from './coupon/service.ts';
import { createFlashSaleSchema } from './flash-sale/schema.ts';
import type { FlashSales } from './flash-sale/service.ts';
import { createGroupBuySchema } from './group-buy/schema.ts';
import type { GroupBuys } from './group-buy/service.ts';

/** One kind of campaign under `/v1/rooms/:room/<path>`: create (201), list, read, and its host actions. */
interface CampaignResource<S extends z.ZodType> {
  path: string;
  /** The answer's key for one campaign (`{ sale }`) and for the list (`{ sales }`). */
  one: string;
  many: string;
  schema: S;
  create(room: string, input: z.infer<S>): Promise<unknown>;
  list(room: string): Promise<unknown[]>;
  /** The body of `GET .../:id`: the campaign with its live figures, and whatever goes with it. */
  read(room: string, id: string): Promise<Record<string, unknown>>;
  actions?: Record<string, (room: string, id: string) => Promise<unknown>>;
}

function campaignRouter<S extends z.ZodType>(r: CampaignResource<S>): Router {
  const router = new Router({ prefix: `/v1/rooms/:room/${r.path}` });
  router.post('/', async (ctx) => {
    const created = await r.create(ctx.params.room!, await jsonBody(ctx, r.schema));
    ctx.status = 201;
    ctx.body = { [r.one]: created };
  });
  router.get('/', async (ctx) => {
    ctx.body = { [r.many]: await r.list(ctx.params.room!) };
  });
  router.get('/:id', async (ctx) => {
    ctx.body = await r.read(ctx.params.room!, ctx.params.id!);
  });
  for (const [action, run] of Object.entries(r.actions ?? {})) {
    router.post(`/:id/${action}`, async (ctx) => {
      ctx.body = { [r.one]: await run(ctx.params.room!, ctx.params.id!) };
    });
  }
  return router;
}

/** PROTOCOL.md "Campaigns": flash sales, coupons, group-buys and assists, all behind the API key. */
export function commerceRoutes(tools: { flash: FlashSales; coupons: Coupons; groups: GroupBuys; assists: Assists }): Router[] {
  const { flash, coupons, groups, assists } = tools;
  return [
    campaignRouter({
      path: 'flash-sales', one: 'sale', many: 'sales', schema: createFlashSaleSchema,
      create: (room, input) => flash.create(room, input),
      list: (room) => flash.list(room),
      read: async (room, id) => ({ sale: await flash.get(room, id) }),
      actions: { start: (room, id) => flash.start(room, id), stop: (room, id) => flash.stop(room, id) },
    }),
    campaignRouter({
      path: 'coupons', one: 'coupon', many: 'coupons', schema: createCouponSchema,
      create: (room, input) => coupons.create(room, input),
      list: (room) => coupons.list(room),
      read: async (room, id) => ({ coupon: await coupons.get(room, id) }),
      actions: { pop: (room, id) => coupons.pop(room, id) },
    }),
    campaignRouter({
      path: 'group-buys', one: 'groupBuy', many: 'groupBuys', schema: createGroupBuySchema,
      create: (room, input) => groups.create(room, input),
      list: (room) => groups.list(room),
      read: async (room, id) => ({ groupBuy: await groups.get(room, id), groups: await groups.openGroups(room, id) }),
    }),
    campaignRouter({
      path: 'assists', one: 'assist', many: 'assists', schema: createAssistSchema,
      create: (room, input) => assists.create(room, input),
      list: (room) => assists.list(room),
      read: async (room, id) => ({ assist: await assists.get(room, id) }),
    }),
  ];
}
