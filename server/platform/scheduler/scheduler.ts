import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import type { Keys } from '../keys.ts';
import type { Shards } from '../shards.ts';

const claimScript = luaScript(new URL('./claim-due-1.lua', import.meta.url));

/** The room a due key names (`<kind>|<room>|<id>`, scheduler/due-work.ts). */
const roomOf = (key: string) => key.split('|')[1] ?? '';

/**
 * Work due at a time (pay deadlines, campaign clocks, draws), in a sorted set (one per slot on a
 * Redis Cluster: keys.ts), handed out once per lease across nodes. Scripts that make work due add it
 * themselves, in the same step.
 */
export class Scheduler {
  constructor(private readonly store: Store, private readonly keys: Keys, private readonly shards: Shards) {}

  /** Scheduling a key again moves it. */
  async at(key: string, when: number): Promise<void> {
    await this.shards.track(roomOf(key));
    await this.store.call('ZADD', this.keys.schedule(roomOf(key)), when, key);
  }

  /**
   * Keys due by `now`; each is handed out again after `leaseMs` unless `done`. Every node polls a
   * few times a second and mostly nothing is due: a plain read answers that, the script runs only
   * when there is something to hand out.
   */
  async claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    const claimed = await Promise.all((await this.shards.indexes('schedule')).map(async (schedule) => {
      const first = (await this.store.call('ZRANGEBYSCORE', schedule, '-inf', now, 'LIMIT', 0, 1)) as string[];
      if (!first.length) return [];
      return ((await this.store.run(claimScript, [schedule], [now, leaseMs, limit])) as Buffer[]).map(String);
    }));
    return claimed.flat();
  }

  async done(key: string): Promise<void> {
    await this.store.call('ZREM', this.keys.schedule(roomOf(key)), key);
  }
}
