import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { participationKeys } from '../../participation/keys.ts';
import type { Winner } from '../../protocol/draw.ts';
import type { DrawGame } from '../../protocol/games.ts';
import { fields, pairs } from '../../platform/records/hashes.ts';
import { gameKeys, decodeGame } from '../store.ts';

const enterScript = luaScript(new URL('./enter-5.lua', import.meta.url));
const drawnScript = luaScript(new URL('./drawn-3.lua', import.meta.url));

/** A lucky draw's entries (one script decides an entry, enter-5.lua) and its seed. */
export class DrawStore {
  private readonly store: Store;
  private readonly keys;
  private readonly outbox: (room: string) => string;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
    this.outbox = participationKeys(engine.keys).outbox;
  }

  /**
   * Stores the winners (`drawing -> drawn`) and writes each one's `draw.won` in the same step
   * (drawn-3.lua); null when the draw was not `drawing` (another node stored it).
   */
  async drawn(room: string, game: string, winners: readonly Winner[], patch: Partial<DrawGame>, now: number): Promise<DrawGame | null> {
    const reply = (await this.store.run(drawnScript, [this.keys.game(room, game), this.keys.entrants(room, game), this.outbox(room)],
      [now, room, game, winners.length, ...winners.flatMap((w) => [w.user, w.prize]), ...fields({ ...patch, winners })])) as Buffer[];
    return reply.length ? (decodeGame(pairs(reply)) as DrawGame) : null;
  }

  /**
   * A draw entry, as `entrant` (the user's opaque id in the room); `already_done` on a second; with
   * `checkedInOn`, only members who checked in that day.
   */
  async enter(r: { room: string; game: string; user: string; entrant: string; now: number; checkedInOn?: string }): Promise<number> {
    const k = this.keys;
    const keys = [k.game(r.room, r.game), k.entries(r.room, r.game), k.checkIns(r.room), k.entrants(r.room, r.game), this.outbox(r.room)];
    const reply = (await this.store.run(enterScript, keys, [r.user, r.now, r.checkedInOn ?? '', r.entrant, r.room, r.game])) as number[];
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
