import { AssistStore } from '../commerce/assist/store.ts';
import { CouponStore } from '../commerce/coupon/store.ts';
import { FlashSaleStore } from '../commerce/flash-sale/store.ts';
import { GroupBuyStore } from '../commerce/group-buy/store.ts';
import { CheckInStore } from '../games/check-in/store.ts';
import { DrawStore } from '../games/lucky-draw/store.ts';
import { PointsStore } from '../games/points/store.ts';
import { RedPacketStore } from '../games/red-packet/store.ts';
import { GameStore } from '../games/store.ts';
import { OrderStore } from '../orders/store.ts';
import type { Engine } from '../platform/engine.ts';
import { RoomStore } from '../rooms/store.ts';
import { WeComStore } from '../wecom/store.ts';

/** Every domain store over one engine, for tests that drive the decisions below the services. */
export function storesOf(engine: Engine) {
  return {
    flash: new FlashSaleStore(engine),
    coupons: new CouponStore(engine),
    groups: new GroupBuyStore(engine),
    assists: new AssistStore(engine),
    orders: new OrderStore(engine),
    schedule: engine.schedule,
    games: new GameStore(engine),
    checkIns: new CheckInStore(engine),
    draws: new DrawStore(engine),
    packets: new RedPacketStore(engine),
    points: new PointsStore(engine),
    rooms: new RoomStore(engine),
    wecom: new WeComStore(engine),
  };
}

export type Stores = ReturnType<typeof storesOf>;
