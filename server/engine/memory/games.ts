import { rewardFor } from '../../protocol/calendar.ts';
import type { CheckInOutcome, Game, GameStatus, LedgerEntry } from '../../protocol/games.ts';
import { refused } from '../../protocol/errors.ts';
import { LEDGER_KEEP, type GameStore } from '../games.ts';
import { campaignKey, MemoryCampaigns } from './campaigns.ts';

/**
 * The same decisions as the games scripts (lua/game-*.lua, points-spend), in one process: no
 * await between a check and its write.
 */
export class MemoryGameStore implements GameStore {
  private readonly games = new MemoryCampaigns<Game>();
  private readonly seeds = new Map<string, string>();
  private readonly shares = new Map<string, number[]>();
  private readonly grabbed = new Map<string, Map<string, number>>();
  private readonly entrants = new Map<string, Set<string>>();
  /** room -> user -> last check-in */
  private readonly checkIns = new Map<string, Map<string, { day: string; streak: number }>>();
  /** room|day -> members checked in */
  private readonly dayCounts = new Map<string, number>();
  private readonly points = new Map<string, number>();
  private readonly ledgers = new Map<string, LedgerEntry[]>();

  async create(game: Game, secret: { seed?: string; shares?: number[] }): Promise<boolean> {
    if (!this.games.create(game)) return false;
    const key = campaignKey(game.room, game.id);
    if (secret.seed) this.seeds.set(key, secret.seed);
    if (secret.shares) this.shares.set(key, [...secret.shares]);
    return true;
  }

  async get(room: string, id: string): Promise<Game | null> {
    return this.games.get(room, id);
  }

  async list(room: string): Promise<Game[]> {
    return this.games.list(room);
  }

  async transition(room: string, id: string, from: GameStatus[], to: GameStatus, patch: Partial<Game>): Promise<Game | null> {
    return this.games.transition(room, id, from, to, patch);
  }

  async checkIn(r: Parameters<GameStore['checkIn']>[0]): Promise<CheckInOutcome> {
    this.requireOpen(r.room, r.game, 'checkin');
    let members = this.checkIns.get(r.room);
    if (!members) this.checkIns.set(r.room, (members = new Map()));
    const last = members.get(r.user);
    // Days compare as strings (YYYY-MM-DD): a later stored day means the zone moved west; still done.
    if (last && last.day >= r.today) throw refused('already_done', `checked in on ${last.day}`);
    const streak = last?.day === r.yesterday ? last.streak + 1 : 1;
    const reward = rewardFor(streak, r.rewards);
    members.set(r.user, { day: r.today, streak });
    const countKey = campaignKey(r.room, r.today);
    const count = (this.dayCounts.get(countKey) ?? 0) + 1;
    this.dayCounts.set(countKey, count);
    const balance = this.credit(r.room, r.user, reward, `check-in day ${streak}`, r.now);
    return { day: r.today, streak, reward, balance, count };
  }

  async checkInCount(room: string, day: string): Promise<number> {
    return this.dayCounts.get(campaignKey(room, day)) ?? 0;
  }

  async enter(r: Parameters<GameStore['enter']>[0]): Promise<number> {
    const game = this.requireOpen(r.room, r.game, 'draw');
    if (r.now >= game.drawAt) throw refused('ended', `draw ${r.game} has closed its entries`);
    if (r.checkedInOn && this.checkIns.get(r.room)?.get(r.user)?.day !== r.checkedInOn) throw refused('not_eligible', 'check in today to enter');
    const key = campaignKey(r.room, r.game);
    let users = this.entrants.get(key);
    if (!users) this.entrants.set(key, (users = new Set()));
    if (users.has(r.user)) throw refused('already_done', `already entered draw ${r.game}`);
    users.add(r.user);
    game.entries = users.size;
    return users.size;
  }

  async entries(room: string, game: string): Promise<string[]> {
    return [...(this.entrants.get(campaignKey(room, game)) ?? [])];
  }

  async seed(room: string, game: string): Promise<string | null> {
    return this.seeds.get(campaignKey(room, game)) ?? null;
  }

  async grab(r: Parameters<GameStore['grab']>[0]): Promise<{ amount: number; left: number }> {
    const game = this.requireOpen(r.room, r.game, 'red-packet');
    if (r.now >= game.expiresAt) throw refused('ended', `red packet ${r.game} has expired`);
    const key = campaignKey(r.room, r.game);
    let users = this.grabbed.get(key);
    if (!users) this.grabbed.set(key, (users = new Map()));
    if (users.has(r.user)) throw refused('already_done', `already grabbed red packet ${r.game}`);
    const amount = this.shares.get(key)?.shift();
    if (amount === undefined) throw refused('sold_out', `red packet ${r.game} is empty`);
    users.set(r.user, amount);
    game.left -= 1;
    game.grabbed += 1;
    return { amount, left: game.left };
  }

  async endRedPacket(room: string, id: string, now: number): Promise<{ unclaimed: number; left: number } | null> {
    const key = campaignKey(room, id);
    const left = this.shares.get(key) ?? [];
    const unclaimed = left.reduce((sum, share) => sum + share, 0);
    const ended = this.games.transition(room, id, ['open'], 'ended', { unclaimed, endedAt: now });
    if (!ended) return null;
    return { unclaimed, left: left.length };
  }

  async grabs(room: string, game: string): Promise<Array<{ user: string; amount: number }>> {
    return [...(this.grabbed.get(campaignKey(room, game)) ?? [])].map(([user, amount]) => ({ user, amount }));
  }

  async balance(room: string, user: string): Promise<number> {
    return this.points.get(campaignKey(room, user)) ?? 0;
  }

  async ledger(room: string, user: string, limit: number): Promise<LedgerEntry[]> {
    return structuredClone((this.ledgers.get(campaignKey(room, user)) ?? []).slice(0, limit));
  }

  async spend(r: Parameters<GameStore['spend']>[0]): Promise<number> {
    const balance = this.points.get(campaignKey(r.room, r.user)) ?? 0;
    if (balance < r.points) throw refused('not_eligible', `${balance} points, ${r.points} needed`);
    return this.credit(r.room, r.user, -r.points, r.reason, r.now);
  }

  private credit(room: string, user: string, delta: number, reason: string, now: number): number {
    const key = campaignKey(room, user);
    const balance = (this.points.get(key) ?? 0) + delta;
    this.points.set(key, balance);
    const ledger = this.ledgers.get(key) ?? [];
    ledger.unshift({ at: now, delta, reason, balance });
    this.ledgers.set(key, ledger.slice(0, LEDGER_KEEP));
    return balance;
  }

  private requireOpen<K extends Game['kind']>(room: string, id: string, kind: K): Extract<Game, { kind: K }> {
    const game = this.games.live(room, id);
    if (!game || game.kind !== kind) throw refused('not_found', `no ${kind} game ${id} in room ${room}`);
    if (game.status !== 'open') throw refused('ended', `game ${id} is ${game.status}`);
    return game as Extract<Game, { kind: K }>;
  }
}
