import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { validated } from '../../protocol/validate.ts';
import { chatSchema } from '../../protocol/ops.ts';
import { groupRoom } from '../group-room.ts';
import type { Games } from '../service.ts';
import { spendSchema } from './schema.ts';

/** A group's points, behind the API key: a member's balance and ledger, and the spends of the brand's mall. */
export function pointsRoutes(games: Games): Router {
  const router = new Router({ prefix: '/v1/groups/:chat' });
  router.get('/points/:user', async (ctx) => {
    ctx.body = await games.points.of(groupRoom(validated(chatSchema, ctx.params.chat)), ctx.params.user!);
  });
  router.post('/points/:user/spend', async (ctx) => {
    const { points, reason } = await jsonBody(ctx, spendSchema);
    ctx.body = { balance: await games.points.spend(validated(chatSchema, ctx.params.chat), ctx.params.user!, points, reason) };
  });
  return router;
}
