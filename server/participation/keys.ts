import type { Keys } from '../platform/keys.ts';

/** The sinks participation events leave by. */
export type SinkName = 'crm' | 'tags' | 'fulfil';
export const sinkNames: readonly SinkName[] = ['crm', 'tags', 'fulfil'];

/**
 * Participation events' keys, all in the room's slot (on a cluster, one set per slot in use:
 * platform/shards.ts): `outbox`, what the decisions of the slot's rooms said, oldest first, written
 * in their own steps (emit.lua); a sink's `queue`, filled from the outbox in one step (fanout-4.lua)
 * and emptied as the sink delivers; its `dead` letters, what the sink refused for good.
 */
export function participationKeys(k: Keys) {
  const outbox = (room: string) => k.index(room, 'participation:outbox');
  return {
    outbox,
    /** Every slot's outbox is read through the shards' list of this name. */
    outboxName: 'participation:outbox',
    queue: (outboxKey: string, sink: SinkName) => `${outboxKey}:${sink}`,
    /** Sink name -> what it takes and when a node running it last said so. */
    sinks: k.global('participation:sinks'),
    dead: (outboxKey: string, sink: SinkName) => `${outboxKey}:${sink}:dead`,
  };
}
