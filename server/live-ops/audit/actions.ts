import Router from '@koa/router';
import type { Context } from 'koa';
import type { OpHandler, Session } from '../../core/session.ts';
import { groupRoom } from '../../games/group-room.ts';
import type { Actor, Audit } from './service.ts';

type Args = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const roomOf = (args: Args) => str(args.room) ?? (str(args.chat) ? groupRoom(String(args.chat)) : undefined);

/**
 * The host's and manager's socket ops that go in the audit trail: the action's name is the op's,
 * `target` what it acted on, `detail` what else the op said.
 */
const auditedOps: Record<string, { target?: (args: Args, answer: unknown) => string | undefined; detail?: (args: Args) => unknown }> = {
  'room.start': {},
  'room.end': {},
  pin: { target: (a) => str((a.product as Args | undefined)?.id), detail: (a) => a.product },
  'flash.start': { target: (a) => str(a.sale) },
  'flash.stop': { target: (a) => str(a.sale) },
  'coupon.pop': { target: (a) => str(a.coupon) },
  mute: { target: (a) => str(a.user), detail: (a) => ({ seconds: a.seconds }) },
  unmute: { target: (a) => str(a.user) },
  ban: { target: (a) => str(a.user) },
  unban: { target: (a) => str(a.user) },
  'comment.remove': { target: (a) => str(a.comment) },
  'keywords.set': { detail: (a) => ({ words: a.words }) },
  'game.open': { target: (_a, answer) => str((answer as { game?: Args } | undefined)?.game?.id), detail: (a) => a.game },
  'game.draw': { target: (a) => str(a.game) },
  'game.end': { target: (a) => str(a.game) },
};

/** Those ops' handlers, each appending its entry once it succeeded. */
export function auditOps(handlers: Record<string, OpHandler>, audit: Audit): Record<string, OpHandler> {
  const wrapped = { ...handlers };
  for (const [op, how] of Object.entries(auditedOps)) {
    const handler = handlers[op] as ((session: Session, args: Args) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`audited op ${op} has no handler`);
    wrapped[op] = (async (session: Session, args: Args) => {
      const answer = await handler(session, args);
      const room = roomOf(args);
      if (room) {
        const { role, sub, name } = session.identity;
        const target = how.target?.(args, answer);
        await audit.append(room, { actor: { kind: role, id: sub, name }, action: op, ...(target ? { target } : {}), ...(how.detail ? { detail: how.detail(args) } : {}) });
      }
      return answer;
    }) as OpHandler;
  }
  return wrapped;
}

/** The id of what a create answered (`{ sale: { id } }`, `{ coupon: { id } }`, ...). */
const created = (ctx: Context) => str(Object.values((ctx.body ?? {}) as Record<string, Args | undefined>)[0]?.id);

/** The API's routes that go in the audit trail, with the same action names as the ops; `detail` is the request's body. */
const auditedRoutes: Array<[method: 'post' | 'put' | 'delete', path: string, action: string, target?: (ctx: Context) => string | undefined]> = [
  ['post', '/v1/rooms', 'room.create', (ctx) => str((ctx.body as { room?: Args } | undefined)?.room?.id)],
  ['post', '/v1/rooms/:room/start', 'room.start'],
  ['post', '/v1/rooms/:room/end', 'room.end'],
  ['post', '/v1/rooms/:room/pin', 'pin', (ctx) => str((ctx.state.body?.product as Args | undefined)?.id)],
  ['post', '/v1/rooms/:room/flash-sales', 'flash.create', created],
  ['post', '/v1/rooms/:room/coupons', 'coupon.create', created],
  ['post', '/v1/rooms/:room/group-buys', 'group-buy.create', created],
  ['post', '/v1/rooms/:room/assists', 'assist.create', created],
  ['post', '/v1/rooms/:room/flash-sales/:id/start', 'flash.start', (ctx) => ctx.params.id],
  ['post', '/v1/rooms/:room/flash-sales/:id/stop', 'flash.stop', (ctx) => ctx.params.id],
  ['post', '/v1/rooms/:room/coupons/:id/pop', 'coupon.pop', (ctx) => ctx.params.id],
  ['put', '/v1/rooms/:room/keywords', 'keywords.set'],
  ['post', '/v1/rooms/:room/mutes', 'mute', (ctx) => str(ctx.state.body?.user)],
  ['delete', '/v1/rooms/:room/mutes/:user', 'unmute', (ctx) => ctx.params.user],
  ['post', '/v1/rooms/:room/bans', 'ban', (ctx) => str(ctx.state.body?.user)],
  ['delete', '/v1/rooms/:room/bans/:user', 'unban', (ctx) => ctx.params.user],
  ['post', '/v1/rooms/:room/comments/:id/remove', 'comment.remove', (ctx) => ctx.params.id],
  ['post', '/v1/groups/:chat/games', 'game.open', (ctx) => str((ctx.body as { game?: Args } | undefined)?.game?.id)],
  ['post', '/v1/groups/:chat/games/:game/draw', 'game.draw', (ctx) => ctx.params.game],
  ['post', '/v1/groups/:chat/games/:game/end', 'game.end', (ctx) => ctx.params.game],
];

/**
 * A router mounted before the API's own: for each audited route it lets the request through and,
 * when it succeeded, appends the entry, its actor the API key (its last four characters).
 */
export function auditRouter(audit: Audit): Router {
  const router = new Router();
  for (const [method, path, action, target] of auditedRoutes) {
    router[method](path, async (ctx, next) => {
      await next();
      if (ctx.status < 200 || ctx.status >= 300) return;
      const room = ctx.params.room ?? (ctx.params.chat ? groupRoom(ctx.params.chat) : target?.(ctx));
      if (!room) return;
      const key = ctx.get('authorization').slice(-4);
      const actor: Actor = { kind: 'api', id: `key…${key}` };
      const what = target?.(ctx);
      const detail: unknown = ctx.state.body;
      await audit.append(room, { actor, action, ...(what ? { target: what } : {}), ...(detail === undefined ? {} : { detail }) });
    });
  }
  return router;
}
