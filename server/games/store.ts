import { luaScript } from '../platform/store/lua-script.ts';
import type { Store } from '../platform/store/store.ts';
import type { CheckInOutcome, Game, GameStatus, LedgerEntry } from '../protocol/games.ts';
import { LEDGER_KEEP, type GameStore } from '../engine/games.ts';
import { RedisCampaigns } from '../platform/records/records.ts';
import { fields } from '../platform/records/hashes.ts';
import type { RedisKeys } from '../platform/keys.ts';
import { refusal } from '../platform/records/refusals.ts';

const gameShape = {
  numbers: ['createdAt', 'drawAt', 'entries', 'drawnAt', 'announcedAt', 'total', 'count', 'expiresAt', 'left', 'grabbed', 'unclaimed', 'endedAt'],
  json: ['rewards', 'prizes', 'winners'],
};

/** Games on Redis: a hash per game beside the room's other campaigns, decisions in lua/game-*.lua. */
const createScript = luaScript(new URL('./create-4.lua', import.meta.url));
const checkInScript = luaScript(new URL('./check-in/check-in-5.lua', import.meta.url));
const enterScript = luaScript(new URL('./lucky-draw/enter-3.lua', import.meta.url));
const grabScript = luaScript(new URL('./red-packet/grab-4.lua', import.meta.url));
const endPacketScript = luaScript(new URL('./red-packet/end-2.lua', import.meta.url));
const spendScript = luaScript(new URL('./points/spend-2.lua', import.meta.url));

export class RedisGameStore implements GameStore {
  private readonly hashes: RedisCampaigns<Game>;

  constructor(private readonly store: Store, private readonly keys: RedisKeys) {
    this.hashes = new RedisCampaigns<Game>(store, keys.game, keys.games, gameShape);
  }

  async create(game: Game, secret: { seed?: string; shares?: number[] }): Promise<boolean> {
    const k = this.keys;
    const shares = secret.shares ?? [];
    const created = await this.store.run(createScript,
      [k.game(game.room, game.id), k.gameSeed(game.room, game.id), k.gameShares(game.room, game.id), k.games(game.room)],
      [secret.seed ?? '', shares.length, ...shares, game.id, ...fields(game)],
    );
    return Number(created) === 1;
  }

  get(room: string, id: string): Promise<Game | null> {
    return this.hashes.get(room, id);
  }

  list(room: string): Promise<Game[]> {
    return this.hashes.list(room);
  }

  transition(room: string, id: string, from: GameStatus[], to: GameStatus, patch: Partial<Game>): Promise<Game | null> {
    return this.hashes.transition(room, id, from, to, patch);
  }

  async checkIn(r: Parameters<GameStore['checkIn']>[0]): Promise<CheckInOutcome> {
    const k = this.keys;
    const reply = (await this.store.run(checkInScript,
      [k.game(r.room, r.game), k.checkIns(r.room), k.checkInCounts(r.room), k.points(r.room), k.ledger(r.room, r.user)],
      [r.user, r.today, r.yesterday, r.now, r.rewards.daily.join(','), r.rewards.bonus?.day ?? 0, r.rewards.bonus?.points ?? 0, LEDGER_KEEP],
    )) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `check-in ${r.game}`);
    const [, streak, reward, balance, count] = reply as [number, number, number, number, number];
    return { day: r.today, streak, reward, balance, count };
  }

  async checkInCount(room: string, day: string): Promise<number> {
    return Number((await this.store.hget(this.keys.checkInCounts(room), day)) ?? 0);
  }

  async enter(r: Parameters<GameStore['enter']>[0]): Promise<number> {
    const k = this.keys;
    const reply = (await this.store.run(enterScript, [k.game(r.room, r.game), k.gameEntries(r.room, r.game), k.checkIns(r.room)], [r.user, r.now, r.checkedInOn ?? ''])) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `draw ${r.game}`);
    return reply[1]!;
  }

  entries(room: string, game: string): Promise<string[]> {
    return this.store.smembers(this.keys.gameEntries(room, game));
  }

  seed(room: string, game: string): Promise<string | null> {
    return this.store.get(this.keys.gameSeed(room, game));
  }

  async grab(r: Parameters<GameStore['grab']>[0]): Promise<{ amount: number; left: number }> {
    const k = this.keys;
    const reply = (await this.store.run(grabScript,
      [k.game(r.room, r.game), k.gameShares(r.room, r.game), k.gameGrabs(r.room, r.game), k.gameGrabOrder(r.room, r.game)],
      [r.user, r.now],
    )) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `red packet ${r.game}`);
    return { amount: reply[1]!, left: reply[2]! };
  }

  async endRedPacket(room: string, game: string, now: number): Promise<{ unclaimed: number; left: number } | null> {
    const reply = (await this.store.run(endPacketScript, [this.keys.game(room, game), this.keys.gameShares(room, game)], [now])) as number[];
    return reply[0] === 1 ? { unclaimed: reply[1]!, left: reply[2]! } : null;
  }

  async grabs(room: string, game: string): Promise<Array<{ user: string; amount: number }>> {
    const [order, amounts] = await Promise.all([this.store.lrange(this.keys.gameGrabOrder(room, game), 0, -1), this.store.hgetall(this.keys.gameGrabs(room, game))]);
    return order.map((user) => ({ user, amount: Number(amounts[user]) }));
  }

  async balance(room: string, user: string): Promise<number> {
    return Number((await this.store.hget(this.keys.points(room), user)) ?? 0);
  }

  async ledger(room: string, user: string, limit: number): Promise<LedgerEntry[]> {
    return (await this.store.lrange(this.keys.ledger(room, user), 0, limit - 1)).map((line) => JSON.parse(line) as LedgerEntry);
  }

  async spend(r: Parameters<GameStore['spend']>[0]): Promise<number> {
    const reply = (await this.store.run(spendScript, [this.keys.points(r.room), this.keys.ledger(r.room, r.user)], [r.user, r.points, r.reason, r.now, LEDGER_KEEP])) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `${reply[1]} points, ${r.points} needed`);
    return reply[1]!;
  }
}
