import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { LedgerEntry } from '../../protocol/games.ts';
import { gameKeys } from '../store.ts';

const spendScript = luaScript(new URL('./spend-2.lua', import.meta.url));

/** How many ledger lines a member keeps. */
export const LEDGER_KEEP = 100;

/** A group room's points: balances (check-ins add, spend-2.lua takes) and each member's ledger. */
export class PointsStore {
  private readonly store: Store;
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
  }

  async balance(room: string, user: string): Promise<number> {
    return Number((await this.store.hget(this.keys.points(room), user)) ?? 0);
  }

  /** The member's latest ledger lines, newest first. */
  async ledger(room: string, user: string, limit: number): Promise<LedgerEntry[]> {
    return (await this.store.lrange(this.keys.ledger(room, user), 0, limit - 1)).map((line) => JSON.parse(line) as LedgerEntry);
  }

  /** Deducts points only if the balance covers them (`not_eligible` otherwise); answers the new balance. */
  async spend(r: { room: string; user: string; points: number; reason: string; now: number }): Promise<number> {
    const reply = (await this.store.run(spendScript, [this.keys.points(r.room), this.keys.ledger(r.room, r.user)], [r.user, r.points, r.reason, r.now, LEDGER_KEEP])) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `${reply[1]} points, ${r.points} needed`);
    return reply[1]!;
  }
}
