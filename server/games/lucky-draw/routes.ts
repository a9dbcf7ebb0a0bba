import Router from '@koa/router';
import { validated } from '../../protocol/validate.ts';
import { chatSchema } from '../../protocol/ops.ts';
import { groupRoom } from '../group-room.ts';
import type { Games } from '../service.ts';

/** `POST /v1/groups/:chat/games/:game/draw` (API key): the manager's console draws before drawAt. */
export function drawRoutes(games: Games): Router {
  const router = new Router({ prefix: '/v1/groups/:chat' });
  router.post('/games/:game/draw', async (ctx) => {
    ctx.body = { game: await games.draw(groupRoom(validated(chatSchema, ctx.params.chat)), ctx.params.game!) };
  });
  return router;
}
