import Router from '@koa/router';
import { z } from 'zod';
import { idSchema } from '../protocol/ops.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { IdempotencyStore } from '../platform/engine.ts';
import { parseJson, rawBody } from '../http/body.ts';
import { validated } from '../protocol/validate.ts';
import { checkSignature, MAX_CLOCK_SKEW_MS } from './signing.ts';
import type { Orders } from './service.ts';

/** The mall's payment notification (PROTOCOL.md); exported for the fuzzer. */
export const notificationSchema = z.object({
  orderId: idSchema,
  mallOrderId: z.string().min(1).max(128),
  status: z.enum(['paid', 'cancelled', 'refunded']),
  paidAt: z.number().int().positive().optional(),
  amount: z.number().int().nonnegative().optional(),
});

const exportQuery = z.object({ room: idSchema, since: z.coerce.number().int().nonnegative().default(0) });

/**
 * `GET /v1/orders/:order`, and `GET /v1/orders?room=&since=`: the room's orders created since then
 * (epoch ms), oldest first, one JSON object per line, for an operator to export before retention
 * removes them (API key).
 */
export function orderRoutes(orders: Orders): Router {
  const router = new Router({ prefix: '/v1/orders' });
  router.get('/', async (ctx) => {
    const { room, since } = validated(exportQuery, ctx.query);
    ctx.type = 'application/x-ndjson; charset=utf-8';
    ctx.body = (await orders.ofRoom(room, since)).map((order) => `${JSON.stringify(order)}\n`).join('');
  });
  router.get('/:order', async (ctx) => {
    ctx.body = { order: await orders.get(ctx.params.order!) };
  });
  return router;
}

/**
 * `POST /v1/mall/notify`: signed by the mall, not API-keyed. The signature is checked over the raw
 * bytes before any parsing; a nonce is accepted once (409 after); a repeat of an applied
 * notification, freshly signed, answers 200 and changes nothing.
 */
export function mallNotifyRoutes(orders: Orders, secret: string, nonces: IdempotencyStore): Router {
  const router = new Router();
  router.post('/v1/mall/notify', async (ctx) => {
    const body = await rawBody(ctx);
    const check = checkSignature(secret, ctx.headers as Record<string, string>, body);
    if (!check.ok) throw new RoomcastError('unauthorized', `signature ${check.reason.replace('_', ' ')}`);
    if (!(await nonces.claimOnce(`mall-nonce:${check.nonce}`, 2 * MAX_CLOCK_SKEW_MS))) throw new RoomcastError('already_done', 'nonce already used');
    const { order, changed } = await orders.applyNotification(parseJson(body, notificationSchema));
    ctx.body = { ok: true, order: { id: order.id, state: order.state }, changed };
  });
  return router;
}
