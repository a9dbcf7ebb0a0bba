import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import type { Presence } from '../engine.ts';
import type { Keys } from '../keys.ts';

const reportScript = luaScript(new URL('./report-presence-1.lua', import.meta.url));

/** Each node reports its counts (a hash of node -> count:expiry per room); the script sums live nodes. */
export class OnlineCounts implements Presence {
  constructor(private readonly store: Store, private readonly keys: Keys) {}

  /** One script call per room; ioredis auto-pipelining sends them in one round trip. */
  async report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>> {
    const now = Date.now();
    const rooms = [...counts.keys()];
    const totals = await Promise.all(
      rooms.map((room) => this.store.run(reportScript, [this.keys.roomOnline(room)], [nodeId, counts.get(room)!, now, ttlMs])),
    );
    return new Map(rooms.map((room, i) => [room, Number(totals[i])]));
  }

  async count(room: string): Promise<number> {
    const now = Date.now();
    let total = 0;
    for (const entry of Object.values(await this.store.hgetall(this.keys.roomOnline(room)))) {
      const [count, expiresAt] = entry.split(':').map(Number) as [number, number];
      if (expiresAt > now) total += count;
    }
    return total;
  }
}
