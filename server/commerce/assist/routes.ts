import type Router from '@koa/router';
import { campaignRouter } from '../campaign-routes.ts';
import { createAssistSchema } from './schema.ts';
import type { Assists } from './service.ts';

/** `/v1/rooms/:room/assists` (PROTOCOL.md "Campaigns"): create, list, read. */
export function assistRoutes(assists: Assists): Router {
  return campaignRouter({
    path: 'assists', one: 'assist', many: 'assists', schema: createAssistSchema,
    create: (room, input) => assists.create(room, input),
    list: (room) => assists.list(room),
    read: async (room, id) => ({ assist: await assists.get(room, id) }),
  });
}
