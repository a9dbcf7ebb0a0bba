import type { Coupons } from './service.ts';
import type { Handlers } from '../../core/handlers.ts';

export const couponOps = (coupons: Coupons): Handlers<'coupon.claim' | 'coupon.pop'> => ({
  async 'coupon.claim'(session, { room, coupon, requestId }) {
    session.requireMember(room);
    return { coupon: await coupons.claim(session.identity, { room, coupon, requestId }) };
  },
  async 'coupon.pop'(session, { room, coupon }) {
    session.requireHostOf(room);
    return { coupon: await coupons.pop(room, coupon) };
  },
});
