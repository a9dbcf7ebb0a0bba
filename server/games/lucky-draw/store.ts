import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { gameKeys } from '../store.ts';

const enterScript = luaScript(new URL('./enter-4.lua', import.meta.url));

/** A lucky draw's entries (one script decides an entry, enter-4.lua) and its seed. */
export class DrawStore {
  private readonly store: Store;
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
  }

  /**
   * A draw entry, as `entrant` (the user's opaque id in the room); `already_done` on a second; with
   * `checkedInOn`, only members who checked in that day.
   */
  async enter(r: { room: string; game: string; user: string; entrant: string; now: number; checkedInOn?: string }): Promise<number> {
    const k = this.keys;
    const keys = [k.game(r.room, r.game), k.entries(r.room, r.game), k.checkIns(r.room), k.entrants(r.room, r.game)];
    const reply = (await this.store.run(enterScript, keys, [r.user, r.now, r.checkedInOn ?? '', r.entrant])) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `draw ${r.game}`);
    return reply[1]!;
  }

  /** The entrants' opaque ids. */
  entries(room: string, game: string): Promise<string[]> {
    return this.store.smembers(this.keys.entries(room, game));
  }

  /** Who the given entrant ids are (users), for the brand's API only. */
  async users(room: string, game: string, entrants: readonly string[]): Promise<Record<string, string>> {
    if (!entrants.length) return {};
    const users = await this.store.hmget(this.keys.entrants(room, game), ...entrants);
    return Object.fromEntries(entrants.flatMap((id, i) => (users[i] ? [[id, users[i]!]] : [])));
  }

  seed(room: string, game: string): Promise<string | null> {
    return this.store.get(this.keys.seed(room, game));
  }
}
