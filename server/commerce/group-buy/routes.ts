import type Router from '@koa/router';
import { campaignRouter } from '../campaign-routes.ts';
import { createGroupBuySchema } from './schema.ts';
import type { GroupBuys } from './service.ts';

/** `/v1/rooms/:room/group-buys` (PROTOCOL.md "Campaigns"): create, list, and read with its open groups. */
export function groupBuyRoutes(groups: GroupBuys): Router {
  return campaignRouter({
    path: 'group-buys', one: 'groupBuy', many: 'groupBuys', schema: createGroupBuySchema,
    create: (room, input) => groups.create(room, input),
    list: (room) => groups.list(room),
    read: async (room, id) => ({ groupBuy: await groups.get(room, id), groups: await groups.openGroups(room, id) }),
  });
}
