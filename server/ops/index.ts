import type { OpHandler } from '../core/session.ts';
import type { OpName } from '../protocol/ops.ts';
import type { RoomService } from '../rooms/service.ts';
import type { FlashSales } from '../commerce/flash-sale/service.ts';
import { flashOps } from './flash-ops.ts';
import type { Handlers } from './handlers.ts';
import { roomOps } from './room-ops.ts';

export interface Services {
  rooms: RoomService;
  flash: FlashSales;
}

/** Every op of the protocol, by name: what the core's sessions dispatch to. */
export function createHandlers(services: Services): Record<OpName, OpHandler> {
  const handlers: Handlers<OpName> = { ...roomOps(services.rooms, (room) => campaigns(services, room)), ...flashOps(services.flash) };
  return handlers as unknown as Record<OpName, OpHandler>;
}

/** The live campaigns a joining viewer sees in the snapshot. */
async function campaigns(services: Services, room: string): Promise<unknown[]> {
  const sales = await services.flash.list(room);
  return sales.map((sale) => ({ kind: 'flash', ...sale }));
}
