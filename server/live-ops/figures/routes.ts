import Router from '@koa/router';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, validTimeZone } from '../../protocol/calendar.ts';
import { idSchema } from '../../protocol/ops.ts';
import { validated } from '../../protocol/validate.ts';
import { timelineCsv } from './csv.ts';
import type { Figures } from './service.ts';

const csvQuery = z.object({ tz: z.string().refine(validTimeZone, 'an IANA time zone such as Asia/Shanghai').default(DEFAULT_TIME_ZONE) });

/** `GET /v1/rooms/:room/figures` and `figures.csv` (the per-minute timeline), behind the API key. */
export function figuresRoutes(figures: Figures, roomExists: (room: string) => Promise<unknown>): Router {
  const router = new Router({ prefix: '/v1/rooms/:room' });
  router.get('/figures', async (ctx) => {
    const room = validated(idSchema, ctx.params.room);
    await roomExists(room);
    ctx.body = { figures: await figures.of(room) };
  });
  router.get('/figures.csv', async (ctx) => {
    const room = validated(idSchema, ctx.params.room);
    const { tz } = validated(csvQuery, ctx.query);
    await roomExists(room);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('content-disposition', `attachment; filename="${room.replace(/[^\w.-]/g, '_')}-figures.csv"`);
    ctx.body = timelineCsv(await figures.timeline(room), tz);
  });
  return router;
}
