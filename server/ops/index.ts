import type { OpHandler } from '../core/session.ts';
import type { OpName } from '../protocol/ops.ts';
import type { RoomService } from '../rooms/service.ts';
import { roomOps } from './room-ops.ts';

export interface Services {
  rooms: RoomService;
}

/** Every op of the protocol, by name: what the core's sessions dispatch to. */
export function createHandlers(services: Services): Record<OpName, OpHandler> {
  return { ...roomOps(services.rooms) } as Record<OpName, OpHandler>;
}
