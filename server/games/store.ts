import type { Engine } from '../platform/engine.ts';
import type { Keys } from '../platform/keys.ts';
import { fields } from '../platform/records/hashes.ts';
import { decodeHash, Records } from '../platform/records/records.ts';
import { dueKey } from '../platform/scheduler/due-work.ts';
import { luaScript } from '../platform/store/lua-script.ts';
import type { Game, GameStatus } from '../protocol/games.ts';
import type { Store } from '../platform/store/store.ts';

const createScript = luaScript(new URL('./create-5.lua', import.meta.url));

const gameShape = {
  numbers: ['createdAt', 'drawAt', 'entries', 'drawnAt', 'announcedAt', 'total', 'count', 'expiresAt', 'left', 'grabbed', 'unclaimed', 'endedAt'],
  json: ['rewards', 'prizes', 'winners'],
};

/** A game's hash, decoded. */
export function decodeGame(hash: Record<string, string>): Game {
  return decodeHash<Game>(hash, gameShape);
}

/** Due work of games: a draw at its drawAt, a red packet's end at its expiry. */
export const gameDue = { draw: 'game-draw', end: 'game-end' } as const;

/**
 * A game's hash beside the room's other records, and what each kind keeps with it: a draw's seed
 * and entries, a red packet's shares left and grabs; the group room's check-ins, points and ledgers.
 */
export function gameKeys(k: Keys) {
  return {
    game: (room: string, game: string) => k.room(room, `game:${game}`),
    games: (room: string) => k.room(room, 'games'),
    seed: (room: string, game: string) => k.room(room, `game:${game}:seed`),
    /** A draw's entrants' opaque ids, and who each one is. */
    entries: (room: string, game: string) => k.room(room, `game:${game}:entries`),
    entrants: (room: string, game: string) => k.room(room, `game:${game}:entrants`),
    /** A red packet's shares not yet grabbed, and who grabbed what (in grab order). */
    shares: (room: string, game: string) => k.room(room, `game:${game}:shares`),
    grabs: (room: string, game: string) => k.room(room, `game:${game}:grabs`),
    grabOrder: (room: string, game: string) => k.room(room, `game:${game}:grab-order`),
    /** How each prize, share and refund of a game was fulfilled (fulfilment/): who -> status. */
    fulfilment: (room: string, game: string) => k.room(room, `game:${game}:fulfilment`),
    /** Group-room members' last check-in ("day,streak"), members per day, points and ledgers. */
    checkIns: (room: string) => k.room(room, 'check-ins'),
    checkInCounts: (room: string) => k.room(room, 'check-in-counts'),
    points: (room: string) => k.room(room, 'points'),
    ledger: (room: string, user: string) => k.room(room, `ledger:${user}`),
  };
}

/** Games of a group room: created with their secrets and due work in one step, read, moved from status to status. */
export class GameStore {
  private readonly store: Store;
  private readonly keys;
  private readonly records: Records<Game>;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = { ...gameKeys(engine.keys), schedule: engine.keys.schedule };
    this.records = new Records<Game>(engine, this.keys.game, this.keys.games, gameShape);
  }

  get(room: string, id: string): Promise<Game | null> {
    return this.records.get(room, id);
  }

  /** Every game of the room, open or over, in id order. */
  list(room: string): Promise<Game[]> {
    return this.records.list(room);
  }

  /** Moves the game to `to` if it is in one of `from`, else null: of racing callers one wins. */
  transition(room: string, id: string, from: GameStatus[], to: GameStatus, patch: Partial<Game>): Promise<Game | null> {
    return this.records.transition(room, id, from, to, patch);
  }

  /**
   * With what must stay hidden until its time (a draw's seed, a red packet's shares) and its due
   * work (a draw at drawAt, a red packet's end at its expiry). False when the id is taken.
   */
  async create(game: Game, secret: { seed?: string; shares?: number[] }): Promise<boolean> {
    const k = this.keys;
    const shares = secret.shares ?? [];
    const due = game.kind === 'draw' ? { at: game.drawAt, kind: gameDue.draw } : game.kind === 'red-packet' ? { at: game.expiresAt, kind: gameDue.end } : undefined;
    const created = await this.store.run(createScript,
      [k.game(game.room, game.id), k.seed(game.room, game.id), k.shares(game.room, game.id), k.games(game.room), k.schedule(game.room)],
      [secret.seed ?? '', due?.at ?? 0, due ? dueKey(due.kind, game.room, game.id) : '', shares.length, ...shares, game.id, ...fields(game)],
    );
    return Number(created) === 1;
  }
}
