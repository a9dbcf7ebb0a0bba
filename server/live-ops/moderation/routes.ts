import Router from '@koa/router';
import { jsonBody } from '../../http/body.ts';
import { commentIdSchema, idSchema, viewerIdSchema } from '../../protocol/ops.ts';
import { validated } from '../../protocol/validate.ts';
import { banBody, keywordsBody, muteBody } from './schema.ts';
import type { Moderation } from './service.ts';

/** `/v1/rooms/:room/...` moderation behind the API key: keywords, mutes, bans, comments. */
export function moderationRoutes(moderation: Moderation): Router {
  const router = new Router({ prefix: '/v1/rooms/:room' });
  const room = (value: string | undefined) => validated(idSchema, value);
  router.get('/keywords', async (ctx) => {
    ctx.body = { words: await moderation.keywords(room(ctx.params.room)) };
  });
  router.put('/keywords', async (ctx) => {
    const { words } = await jsonBody(ctx, keywordsBody);
    ctx.body = { words: await moderation.setKeywords(room(ctx.params.room), words) };
  });
  router.post('/mutes', async (ctx) => {
    const { user, seconds } = await jsonBody(ctx, muteBody);
    ctx.status = 201;
    ctx.body = { mute: await moderation.mute(room(ctx.params.room), user, seconds) };
  });
  router.delete('/mutes/:user', async (ctx) => {
    await moderation.unmute(room(ctx.params.room), validated(viewerIdSchema, ctx.params.user));
    ctx.body = { ok: true };
  });
  router.post('/bans', async (ctx) => {
    const { user } = await jsonBody(ctx, banBody);
    await moderation.ban(room(ctx.params.room), user);
    ctx.status = 201;
    ctx.body = { ban: { user } };
  });
  router.delete('/bans/:user', async (ctx) => {
    await moderation.unban(room(ctx.params.room), validated(viewerIdSchema, ctx.params.user));
    ctx.body = { ok: true };
  });
  router.get('/restrictions', async (ctx) => {
    ctx.body = await moderation.restrictions(room(ctx.params.room));
  });
  router.get('/comments', async (ctx) => {
    ctx.body = { comments: await moderation.recentComments(room(ctx.params.room)) };
  });
  router.post('/comments/:id/remove', async (ctx) => {
    const id = validated(commentIdSchema, ctx.params.id);
    await moderation.removeComment(room(ctx.params.room), id);
    ctx.body = { removed: id };
  });
  return router;
}
