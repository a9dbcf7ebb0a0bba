import type { FlashSales } from './service.ts';
import type { Handlers } from '../../core/handlers.ts';

/** Viewers buy; hosts start and stop ("上链接" / "下链接") over the socket as over HTTP. */
export const flashOps = (flash: FlashSales): Handlers<'flash.buy' | 'flash.start' | 'flash.stop'> => ({
  async 'flash.buy'(session, { room, sale, qty, requestId, coupon }) {
    session.requireMember(room);
    return { order: await flash.buy(session.identity, { room, sale, qty, requestId, ...(coupon ? { coupon } : {}) }) };
  },
  async 'flash.start'(session, { room, sale }) {
    session.requireHostOf(room);
    return { sale: await flash.start(room, sale) };
  },
  async 'flash.stop'(session, { room, sale }) {
    session.requireHostOf(room);
    return { sale: await flash.stop(room, sale) };
  },
});
