import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import type { Peaks, Presence } from '../engine.ts';
import type { Keys } from '../keys.ts';

const reportScript = luaScript(new URL('./report-presence-2.lua', import.meta.url));

/** Each node reports its counts (a hash of node -> count:expiry per room); the script sums live nodes. */
export class OnlineCounts implements Presence {
  constructor(private readonly store: Store, private readonly keys: Keys) {}

  /** One script call per room; ioredis auto-pipelining sends them in one round trip. */
  async report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>> {
    const now = Date.now();
    const rooms = [...counts.keys()];
    const totals = await Promise.all(
      rooms.map((room) => this.store.run(reportScript, [this.keys.roomOnline(room), this.keys.roomOnlinePeaks(room)], [nodeId, counts.get(room)!, now, ttlMs])),
    );
    return new Map(rooms.map((room, i) => [room, Number(totals[i])]));
  }

  async peaks(room: string): Promise<Peaks> {
    return peaksOf(await this.store.hgetall(this.keys.roomOnlinePeaks(room)));
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

/** The peaks hash (`all`, `m:<minute>`) read back. */
export function peaksOf(hash: Record<string, string>): Peaks {
  const byMinute = new Map<number, number>();
  for (const [field, value] of Object.entries(hash)) if (field.startsWith('m:')) byMinute.set(Number(field.slice(2)), Number(value));
  return { peak: Number(hash.all ?? 0), byMinute };
}
