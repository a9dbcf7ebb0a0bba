import Router from '@koa/router';
import { z } from 'zod';
import { idSchema, productSchema } from '../protocol/ops.ts';
import type { RoomService } from './service.ts';
import type { Presence } from '../platform/engine.ts';
import { jsonBody } from '../http/body.ts';

const createRoom = z.object({ id: idSchema.optional(), title: z.string().trim().min(1).max(120) });
const pin = z.object({ product: productSchema });

/** PROTOCOL.md "Rooms": create, read, start, end, pin. */
export function roomRoutes(rooms: RoomService, presence: Presence): Router {
  const router = new Router({ prefix: '/v1/rooms' });
  router.post('/', async (ctx) => {
    ctx.status = 201;
    ctx.body = { room: await rooms.create(await jsonBody(ctx, createRoom)) };
  });
  router.get('/:room', async (ctx) => {
    const room = await rooms.get(ctx.params.room!);
    ctx.body = { room: { ...room, online: await presence.count(room.id) } };
  });
  router.post('/:room/start', async (ctx) => {
    ctx.body = { room: await rooms.start(ctx.params.room!) };
  });
  router.post('/:room/end', async (ctx) => {
    ctx.body = { room: await rooms.end(ctx.params.room!) };
  });
  router.post('/:room/pin', async (ctx) => {
    const { product } = await jsonBody(ctx, pin);
    ctx.body = { room: await rooms.pin(ctx.params.room!, product) };
  });
  return router;
}
