import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';
import type { Scheduler } from '../../engine/commerce.ts';
import type { RedisKeys } from '../keys.ts';

const claimScript = luaScript(new URL('./claim-due-1.lua', import.meta.url));

export class RedisScheduler implements Scheduler {
  constructor(private readonly store: Store, private readonly keys: RedisKeys) {}

  async at(key: string, when: number): Promise<void> {
    await this.store.call('ZADD', this.keys.schedule(), when, key);
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    return ((await this.store.run(claimScript, [this.keys.schedule()], [now, leaseMs, limit])) as Buffer[]).map(String);
  }

  async done(key: string): Promise<void> {
    await this.store.call('ZREM', this.keys.schedule(), key);
  }
}
