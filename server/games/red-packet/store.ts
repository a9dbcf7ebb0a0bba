import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { participationKeys } from '../../participation/keys.ts';
import { gameKeys } from '../store.ts';

const grabScript = luaScript(new URL('./grab-5.lua', import.meta.url));
const endScript = luaScript(new URL('./end-3.lua', import.meta.url));

/** A red packet's shares: a grab pops one (grab-5.lua), the end answers what is left (end-3.lua). */
export class RedPacketStore {
  private readonly store: Store;
  private readonly keys;
  private readonly outbox: (room: string) => string;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
    this.outbox = participationKeys(engine.keys).outbox;
  }

  /** One share popped for the member: `already_done` on a second grab, `sold_out` when none is left, `ended` past expiry. */
  async grab(r: { room: string; game: string; user: string; now: number }): Promise<{ amount: number; left: number }> {
    const k = this.keys;
    const reply = (await this.store.run(grabScript,
      [k.game(r.room, r.game), k.shares(r.room, r.game), k.grabs(r.room, r.game), k.grabOrder(r.room, r.game), this.outbox(r.room)],
      [r.user, r.now, r.room, r.game],
    )) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `red packet ${r.game}`);
    return { amount: reply[1]!, left: reply[2]! };
  }

  /** Ends an open red packet once, answering what nobody grabbed; null when it had ended already. */
  async end(room: string, game: string, now: number): Promise<{ unclaimed: number; left: number } | null> {
    const reply = (await this.store.run(endScript, [this.keys.game(room, game), this.keys.shares(room, game), this.outbox(room)], [now, room, game])) as number[];
    return reply[0] === 1 ? { unclaimed: reply[1]!, left: reply[2]! } : null;
  }

  /** Who grabbed what, in grab order. */
  async grabs(room: string, game: string): Promise<Array<{ user: string; amount: number }>> {
    const [order, amounts] = await Promise.all([this.store.lrange(this.keys.grabOrder(room, game), 0, -1), this.store.hgetall(this.keys.grabs(room, game))]);
    return order.map((user) => ({ user, amount: Number(amounts[user]) }));
  }
}
