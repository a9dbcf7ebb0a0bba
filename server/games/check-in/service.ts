import type { Engine } from '../../platform/engine.ts';
import type { LiveState } from '../../platform/live-state.ts';
import { dayOf, previousDay } from '../../protocol/calendar.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { CheckInGame, CheckInOutcome } from '../../protocol/games.ts';
import type { OpenGame } from '../schema.ts';
import type { GameStore } from '../store.ts';
import { CheckInStore } from './store.ts';

/** Room state key of a check-in's day so far (PROTOCOL.md). */
export const checkInStateKey = (game: string) => `checkin:${game}`;

/**
 * Daily check-in (签到打卡): one per member per day in the group's time zone; the streak and its
 * reward are the check-in script's (check-in-6.lua). Today's count is room state.
 */
export class CheckIns {
  private readonly store: CheckInStore;

  constructor(private readonly engine: Engine, private readonly games: GameStore, private readonly live: LiveState) {
    this.store = new CheckInStore(engine);
  }

  newGame(base: Omit<CheckInGame, 'kind' | 'timeZone' | 'rewards'>, input: Extract<OpenGame, { kind: 'checkin' }>): CheckInGame {
    return { ...base, kind: 'checkin', timeZone: input.timeZone, rewards: input.rewards };
  }

  async checkIn(viewer: Identity, game: CheckInGame, now = Date.now()): Promise<CheckInOutcome> {
    const today = dayOf(now, game.timeZone);
    const outcome = await this.store.checkIn({ room: game.room, game: game.id, user: viewer.sub, today, yesterday: previousDay(today), rewards: game.rewards, now });
    this.live.mark(`checkin|${game.room}|${game.id}`, () => this.publishProgress(game, now));
    return outcome;
  }

  /** The day (in the game's zone) and how many members checked in on it. */
  async today(game: CheckInGame, now: number): Promise<{ day: string; count: number }> {
    const day = dayOf(now, game.timeZone);
    return { day, count: await this.store.count(game.room, day) };
  }

  async publishProgress(game: CheckInGame, now: number): Promise<void> {
    await this.engine.broker.publishState(game.room, checkInStateKey(game.id), await this.today(game, now));
  }

  /** The group's time zone: its open check-in game's, if any. */
  async timeZone(room: string): Promise<string | undefined> {
    const checkIn = (await this.games.list(room)).find((g): g is CheckInGame => g.kind === 'checkin' && g.status === 'open');
    return checkIn?.timeZone;
  }
}
