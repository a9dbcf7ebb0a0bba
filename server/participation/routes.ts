import Router from '@koa/router';
import { z } from 'zod';
import { validated } from '../protocol/validate.ts';
import type { Participation } from './service.ts';

const query = z.object({ sink: z.enum(['crm', 'tags', 'fulfil']) });

/**
 * `GET /v1/participation/dead?sink=crm`: what a sink refused for good (a 4xx), with why;
 * `POST /v1/participation/dead/replay?sink=crm`: send it again once the receiver is fixed. Behind the API key.
 */
export function participationRoutes(participation: Participation): Router {
  const router = new Router();
  router.get('/v1/participation/dead', async (ctx) => {
    const { sink } = validated(query, ctx.query);
    ctx.body = { deadLetters: await participation.deadLetters(sink) };
  });
  router.post('/v1/participation/dead/replay', async (ctx) => {
    const { sink } = validated(query, ctx.query);
    ctx.body = { replayed: await participation.replayDead(sink) };
  });
  return router;
}
