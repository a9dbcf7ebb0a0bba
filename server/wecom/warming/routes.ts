import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { announceSchema, appliedSchema, MAX_COVER_BODY_BYTES, welcomeSchema } from './schema.ts';
import type { GroupWarming } from './warming.ts';

/** A pool's welcome template and the live's announcements to its groups (API key). */
export function warmingRoutes(warming: GroupWarming): Router {
  const router = new Router({ prefix: '/v1' });
  router.put('/wecom/pools/:pool/welcome', async (ctx) => {
    ctx.body = { welcome: await warming.setWelcome(ctx.params.pool!, await jsonBody(ctx, welcomeSchema, MAX_COVER_BODY_BYTES)) };
  });
  router.get('/wecom/pools/:pool/welcome', async (ctx) => {
    ctx.body = { welcome: await warming.welcome(ctx.params.pool!) };
  });
  router.post('/wecom/pools/:pool/welcome/applied', async (ctx) => {
    ctx.body = { welcome: await warming.markApplied(ctx.params.pool!, (await jsonBody(ctx, appliedSchema)).chatIds) };
  });
  router.post('/rooms/:room/wecom/announce', async (ctx) => {
    ctx.status = 201;
    ctx.body = { announcement: await warming.announce(ctx.params.room!, await jsonBody(ctx, announceSchema, MAX_COVER_BODY_BYTES)) };
  });
  router.get('/rooms/:room/wecom/announcements', async (ctx) => {
    ctx.body = { announcements: await warming.announcements(ctx.params.room!) };
  });
  return router;
}
