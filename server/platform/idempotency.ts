import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from './store/store.ts';
import { RoomcastError, type ErrorCode } from '../protocol/errors.ts';
import type { IdempotencyStore } from './engine.ts';
import type { Keys } from './keys.ts';

type Stored = { ok: true; value: unknown } | { ok: false; code: ErrorCode; message: string };

const PENDING = 'pending';
const WAIT_STEP_MS = 10;

/**
 * The first caller of a key claims it with SET NX and computes; repeats (on any node) wait for
 * its answer. A refusal (RoomcastError) is an answer too; a crash releases the claim so the
 * client's retry can compute again.
 */
export class Idempotency implements IdempotencyStore {
  constructor(private readonly store: Store, private readonly keys: Keys) {}

  async remember<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    const redisKey = this.keys.idempotency(key);
    const claimed = await this.store.call('SET', redisKey, PENDING, 'PX', ttlMs, 'NX');
    if (claimed !== 'OK') return unwrap<T>(await this.waitFor(redisKey, ttlMs));
    let stored: Stored;
    try {
      stored = { ok: true, value: await compute() };
    } catch (err) {
      if (!(err instanceof RoomcastError) || err.code === 'internal') {
        await this.store.call('DEL', redisKey);
        throw err;
      }
      stored = { ok: false, code: err.code, message: err.message };
    }
    await this.store.call('SET', redisKey, JSON.stringify(stored), 'PX', ttlMs);
    return unwrap<T>(stored);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.store.call('SET', this.keys.idempotency(`once:${key}`), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  private async waitFor(redisKey: string, ttlMs: number): Promise<Stored> {
    const deadline = Date.now() + Math.min(ttlMs, 10_000);
    while (Date.now() < deadline) {
      const value = await this.store.get(redisKey);
      if (value === null) break;
      if (value !== PENDING) return JSON.parse(value) as Stored;
      await sleep(WAIT_STEP_MS);
    }
    throw new RoomcastError('internal', 'the first attempt of this request did not finish; retry');
  }
}

function unwrap<T>(stored: Stored): T {
  if (stored.ok) return stored.value as T;
  throw new RoomcastError(stored.code, stored.message);
}
