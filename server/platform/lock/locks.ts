import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomcastError } from '../../protocol/errors.ts';
import { luaScript } from '../store/lua-script.ts';
import type { Store } from '../store/store.ts';

const release = luaScript(new URL('./release-1.lua', import.meta.url));
const RETRY_MS = 50;

/**
 * Mutual exclusion across nodes for work that must happen once at a time (making a WeCom join
 * way): a lease (SET NX PX) that its holder releases, or that lapses if the holder dies.
 */
export class Locks {
  /** `token` names the holder: unique per hold (a test may fix it to compare stores call by call). */
  constructor(private readonly store: Store, private readonly key: (name: string) => string, private readonly token: () => string = randomUUID) {}

  /**
   * Runs `work` holding the lock `name`, waiting up to `waitMs` for another holder to finish;
   * past that, `unavailable`. The lease must outlast the work: past `ttlMs` another node may enter.
   */
  async withLock<T>(name: string, { ttlMs, waitMs }: { ttlMs: number; waitMs: number }, work: () => Promise<T>): Promise<T> {
    const key = this.key(name);
    const token = this.token();
    for (const deadline = Date.now() + waitMs; (await this.store.call('SET', key, token, 'PX', ttlMs, 'NX')) !== 'OK'; await sleep(RETRY_MS)) {
      if (Date.now() >= deadline) throw new RoomcastError('unavailable', `${name} is busy on another node; try again`);
    }
    try {
      return await work();
    } finally {
      await this.store.run(release, [key], [token]);
    }
  }
}
