import type Router from '@koa/router';
import { campaignRouter } from '../campaign-routes.ts';
import { createFlashSaleSchema } from './schema.ts';
import type { FlashSales } from './service.ts';

/** `/v1/rooms/:room/flash-sales` (PROTOCOL.md "Campaigns"): create, list, read, and the host's start and stop. */
export function flashSaleRoutes(flash: FlashSales): Router {
  return campaignRouter({
    path: 'flash-sales', one: 'sale', many: 'sales', schema: createFlashSaleSchema,
    create: (room, input) => flash.create(room, input),
    list: (room) => flash.list(room),
    read: async (room, id) => ({ sale: await flash.get(room, id) }),
    actions: { start: (room, id) => flash.start(room, id), stop: (room, id) => flash.stop(room, id) },
  });
}
