import type { Engine } from '../engine.ts';
import { MemoryBroker } from './broker.ts';
import { MemoryIdempotencyStore } from './idempotency.ts';
import { MemoryPresence } from './presence.ts';
import { MemoryRoomStore } from './rooms.ts';

/** Everything in this process: for development, demos and tests. Loses all state on exit. */
export function createMemoryEngine(options: { historySize: number }): Engine {
  return {
    kind: 'memory',
    broker: new MemoryBroker(options.historySize),
    presence: new MemoryPresence(),
    rooms: new MemoryRoomStore(),
    idempotency: new MemoryIdempotencyStore(),
    ping: async () => {},
    close: async () => {},
  };
}
