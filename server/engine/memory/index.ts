import type { Engine } from '../engine.ts';
import { MemoryBroker } from './broker.ts';
import { CommerceState } from './commerce-state.ts';
import { MemoryFlashSaleStore } from './flash-sales.ts';
import { MemoryCouponStore } from './coupons.ts';
import { MemoryGroupBuyStore } from './groups.ts';
import { MemoryAssistStore } from './assists.ts';
import { MemoryOrderStore, MemoryScheduler } from './orders.ts';
import { MemoryIdempotencyStore } from './idempotency.ts';
import { MemoryPresence } from './presence.ts';
import { MemoryRoomStore } from './rooms.ts';
import { MemoryWeComStore } from './wecom.ts';
import { MemoryGameStore } from './games.ts';

/** Everything in this process: for development, demos and tests. Loses all state on exit. */
export function createMemoryEngine(options: { historySize: number }): Engine {
  const commerce = new CommerceState();
  const broker = new MemoryBroker(options.historySize);
  return {
    kind: 'memory',
    broker,
    presence: new MemoryPresence(),
    rooms: new MemoryRoomStore(),
    idempotency: new MemoryIdempotencyStore(),
    commerce: {
      flash: new MemoryFlashSaleStore(commerce, broker),
      coupons: new MemoryCouponStore(commerce, broker),
      groups: new MemoryGroupBuyStore(commerce),
      assists: new MemoryAssistStore(commerce),
      orders: new MemoryOrderStore(commerce),
      schedule: new MemoryScheduler(commerce),
    },
    wecom: new MemoryWeComStore(),
    games: new MemoryGameStore(),
    ping: async () => {},
    close: async () => {},
  };
}
