import Router from '@koa/router';
import type { z } from 'zod';
import { jsonBody } from '../http/body.ts';

/** One kind of campaign under `/v1/rooms/:room/<path>`: create (201), list, read, and its host actions. */
export interface CampaignResource<S extends z.ZodType> {
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

export function campaignRouter<S extends z.ZodType>(r: CampaignResource<S>): Router {
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
