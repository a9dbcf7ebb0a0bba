import type { Keys } from '../platform/keys.ts';

/**
 * Participation events' keys. `outbox`: what the decisions of the slot's rooms said, oldest first,
 * written in their own steps (emit.lua); `sink`: one sink's queue (CRM, WeCom tags), filled from
 * the outbox in one step and emptied as the sink takes it; both in the room's slot (on a cluster,
 * one per slot: platform/shards.ts). `dead`: what a sink refused for good, for an operator.
 */
export function participationKeys(k: Keys) {
  return {
    outbox: (room: string) => k.index(room, 'participation:outbox'),
    sink: (outbox: string, sink: string) => `${outbox}:${sink}`,
    dead: (sink: string) => k.global(`participation:dead:${sink}`),
  };
}
