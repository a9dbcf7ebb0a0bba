import type { OpHandler } from './core/session.ts';
import type { OpName } from './protocol/ops.ts';
import type { RoomService } from './rooms/service.ts';
import type { FlashSales } from './commerce/flash-sale/service.ts';
import type { Coupons } from './commerce/coupon/service.ts';
import { couponOps } from './commerce/coupon/ops.ts';
import type { GroupBuys } from './commerce/group-buy/service.ts';
import { groupOps } from './commerce/group-buy/ops.ts';
import type { Assists } from './commerce/assist/service.ts';
import { assistOps } from './commerce/assist/ops.ts';
import { inAudience } from './commerce/coupon/schema.ts';
import type { Identity } from './protocol/frames.ts';
import { flashOps } from './commerce/flash-sale/ops.ts';
import type { Handlers } from './core/handlers.ts';
import { roomOps } from './rooms/ops.ts';
import type { WeComRouting } from './wecom/routing/service.ts';
import { wecomOps } from './wecom/ops.ts';
import type { Games } from './games/service.ts';
import { gameOps } from './games/ops.ts';

export interface Services {
  rooms: RoomService;
  flash: FlashSales;
  coupons: Coupons;
  groups: GroupBuys;
  assists: Assists;
  wecom: WeComRouting;
  games: Games;
}

/** Every op of the protocol, by name: what the core's sessions dispatch to. */
export function createHandlers(services: Services): Record<OpName, OpHandler> {
  const handlers: Handlers<OpName> = { ...roomOps(services.rooms, services.games, (room, viewer) => campaigns(services, room, viewer)), ...gameOps(services.games), ...flashOps(services.flash), ...couponOps(services.coupons), ...groupOps(services.groups), ...assistOps(services.assists), ...wecomOps(services.wecom) };
  return handlers as unknown as Record<OpName, OpHandler>;
}

/** The campaigns a joining viewer sees in the snapshot: flash sales, and open pop-ups meant for them. */
async function campaigns(services: Services, room: string, viewer: Identity): Promise<unknown[]> {
  const [sales, coupons, groupBuys] = await Promise.all([services.flash.list(room), services.coupons.list(room), services.groups.list(room)]);
  const now = Date.now();
  const open = coupons.filter((c) => c.status === 'popped' && c.closesAt! > now && inAudience(viewer, c.audience));
  return [
    ...sales.map((sale) => ({ kind: 'flash', ...sale })),
    ...open.map((c) => ({ kind: 'coupon', ...c })),
    ...groupBuys.filter((g) => g.status === 'live').map((g) => ({ kind: 'group-buy', ...g })),
  ];
}
