import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomcastError } from '../../protocol/errors.ts';
import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';

const release = luaScript(new URL('./release-1.lua', import.meta.url));
const renew = luaScript(new URL('./renew-1.lua', import.meta.url));
const RETRY_MS = 50;

/**
 * Mutual exclusion across nodes for work that must happen once at a time (making a WeCom join
 * way): a lease (SET NX PX) that its holder renews while it works and releases after, and that
 * lapses one lease after its holder died. A holder frozen for longer than a lease (a stop-the-world
 * pause, a partition) can overlap the next one: work under a lock must still tolerate that rare
 * second run, as the join way's does (its saved record is overwritten, never duplicated in Roomcast).
 */
export class Locks {
  /** `token` names the holder: unique per hold (a test may fix it to compare stores call by call). */
  constructor(private readonly store: Store, private readonly key: (name: string) => string, private readonly token: () => string = randomUUID) {}

  /**
   * Runs `work` holding the lock `name`, waiting up to `waitMs` for another holder to finish;
   * past that, `unavailable`. `leaseMs` is how long a dead holder keeps others out.
   */
  async withLock<T>(name: string, { leaseMs, waitMs }: { leaseMs: number; waitMs: number }, work: () => Promise<T>): Promise<T> {
    const key = this.key(name);
    const token = this.token();
    for (const deadline = Date.now() + waitMs; (await this.store.call('SET', key, token, 'PX', leaseMs, 'NX')) !== 'OK'; await sleep(RETRY_MS)) {
      if (Date.now() >= deadline) throw new RoomcastError('unavailable', 'the same work is under way on another node; try again');
    }
    const renewing = setInterval(() => void this.store.run(renew, [key], [token, leaseMs]).catch(() => undefined), leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renewing);
      await this.store.run(release, [key], [token]);
    }
  }
}
