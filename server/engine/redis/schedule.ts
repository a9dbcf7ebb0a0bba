import type { Redis } from 'ioredis';
import type { Scheduler } from '../commerce.ts';
import type { RedisKeys } from './keys.ts';
import { script, type Script } from './scripts.ts';

export class RedisScheduler implements Scheduler {
  private readonly claim: Script;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, scripts: Map<string, Script>) {
    this.claim = script(scripts, 'claim-due');
  }

  async at(key: string, when: number): Promise<void> {
    await this.redis.zadd(this.keys.schedule(), when, key);
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    return ((await this.claim([this.keys.schedule()], [now, leaseMs, limit])) as Buffer[]).map(String);
  }

  async done(key: string): Promise<void> {
    await this.redis.zrem(this.keys.schedule(), key);
  }
}
