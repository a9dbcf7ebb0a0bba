import Router from '@koa/router';
import { jsonBody } from '../http/body.ts';
import { validated } from '../protocol/validate.ts';
import { chatSchema } from '../protocol/ops.ts';
import { groupRoom } from './group-room.ts';
import { drawRoutes } from './lucky-draw/routes.ts';
import { pointsRoutes } from './points/routes.ts';
import { openGameSchema } from './schema.ts';
import type { Games } from './service.ts';

/**
 * PROTOCOL.md "Games", behind the API key (the brand's backend or its manager console): open a game
 * in a group, read it, end it; a draw's early draw (lucky-draw/routes.ts) and the group's points,
 * which the brand's mall spends (points/routes.ts).
 * A group's flash sales and group-buys are those of its room: `/v1/rooms/group:{chat}/...`.
 */
export function gameRoutes(games: Games): Router[] {
  const router = new Router({ prefix: '/v1/groups/:chat' });
  const room = (chat: string | undefined) => groupRoom(validated(chatSchema, chat));
  router.post('/games', async (ctx) => {
    const chat = validated(chatSchema, ctx.params.chat);
    ctx.status = 201;
    ctx.body = { game: await games.open(chat, await jsonBody(ctx, openGameSchema)) };
  });
  router.get('/games', async (ctx) => {
    ctx.body = { games: await games.list(room(ctx.params.chat)) };
  });
  router.get('/games/:game', async (ctx) => {
    ctx.body = await games.details(room(ctx.params.chat), ctx.params.game!, 'brand');
  });
  router.post('/games/:game/end', async (ctx) => {
    ctx.body = { game: await games.end(room(ctx.params.chat), ctx.params.game!) };
  });
  return [router, drawRoutes(games), pointsRoutes(games)];
}
