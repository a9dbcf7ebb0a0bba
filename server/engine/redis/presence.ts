import type { Redis } from 'ioredis';
import type { Presence } from '../engine.ts';
import type { RedisKeys } from './keys.ts';
import { script, type Script } from './scripts.ts';

export class RedisPresence implements Presence {
  private readonly reportScript: Script;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, scripts: Map<string, Script>) {
    this.reportScript = script(scripts, 'report-presence');
  }

  /** One script call per room; ioredis auto-pipelining sends them in one round trip. */
  async report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>> {
    const now = Date.now();
    const rooms = [...counts.keys()];
    const totals = await Promise.all(
      rooms.map((room) => this.reportScript([this.keys.roomOnline(room)], [nodeId, counts.get(room)!, now, ttlMs])),
    );
    return new Map(rooms.map((room, i) => [room, Number(totals[i])]));
  }

  async count(room: string): Promise<number> {
    const now = Date.now();
    let total = 0;
    for (const entry of Object.values(await this.redis.hgetall(this.keys.roomOnline(room)))) {
      const [count, expiresAt] = entry.split(':').map(Number) as [number, number];
      if (expiresAt > now) total += count;
    }
    return total;
  }
}
