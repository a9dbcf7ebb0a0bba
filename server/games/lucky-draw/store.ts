import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { gameKeys } from '../store.ts';

const enterScript = luaScript(new URL('./enter-3.lua', import.meta.url));

/** A lucky draw's entries (one script decides an entry, enter-3.lua) and its seed. */
export class DrawStore {
  private readonly store: Store;
  private readonly keys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
  }

  /** A draw entry; `already_done` on a second; with `checkedInOn`, only members who checked in that day. */
  async enter(r: { room: string; game: string; user: string; now: number; checkedInOn?: string }): Promise<number> {
    const k = this.keys;
    const reply = (await this.store.run(enterScript, [k.game(r.room, r.game), k.entries(r.room, r.game), k.checkIns(r.room)], [r.user, r.now, r.checkedInOn ?? ''])) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `draw ${r.game}`);
    return reply[1]!;
  }

  entries(room: string, game: string): Promise<string[]> {
    return this.store.smembers(this.keys.entries(room, game));
  }

  seed(room: string, game: string): Promise<string | null> {
    return this.store.get(this.keys.seed(room, game));
  }
}
