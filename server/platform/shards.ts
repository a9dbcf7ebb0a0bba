import type { Keys } from './keys.ts';
import type { Store } from './store/store.ts';

/** How long a node trusts its list of slots in use before reading it again. */
const REFRESH_MS = 1000;

/**
 * Where the indexes of many rooms are (keys.ts: `index`). On one Redis, one key each. On a Redis
 * Cluster, one per slot: a room's slot is registered when the room is made (before anything of it
 * is indexed), and whoever reads every slot's index (the scheduler, the settle and retention sweeps)
 * reads the registered ones.
 */
export class Shards {
  private readonly registered = new Set<number>();
  private slots: { at: number; list: number[] } | undefined;

  constructor(private readonly store: Store, private readonly keys: Keys) {}

  /** Called when a room is made: its slot's indexes are read from now on. */
  async track(room: string): Promise<void> {
    if (!this.keys.cluster) return;
    const slot = this.keys.slotOfRoom(room);
    if (this.registered.has(slot)) return;
    await this.store.call('SADD', this.keys.slotRegistry(), slot);
    this.registered.add(slot);
  }

  /** Every index `name`. */
  async indexes(name: string, now = Date.now()): Promise<string[]> {
    if (!this.keys.cluster) return this.keys.indexes(name, []);
    if (!this.slots || now - this.slots.at > REFRESH_MS) {
      this.slots = { at: now, list: ((await this.store.call('SMEMBERS', this.keys.slotRegistry())) as string[]).map(Number) };
    }
    return this.keys.indexes(name, this.slots.list);
  }
}
