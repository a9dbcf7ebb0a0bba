import type { Engine } from '../../platform/engine.ts';
import { participationKeys } from '../../participation/keys.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { RewardTable } from '../../protocol/calendar.ts';
import type { CheckInOutcome } from '../../protocol/games.ts';
import { LEDGER_KEEP } from '../points/store.ts';
import { gameKeys } from '../store.ts';

const checkInScript = luaScript(new URL('./check-in-6.lua', import.meta.url));

export interface CheckInRequest {
  room: string;
  game: string;
  user: string;
  today: string;
  yesterday: string;
  rewards: RewardTable;
  now: number;
}

/** Check-ins of a group room: one script decides the day, the streak and the reward (check-in-6.lua). */
export class CheckInStore {
  private readonly store: Store;
  private readonly keys;
  private readonly outbox: (room: string) => string;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = gameKeys(engine.keys);
    this.outbox = participationKeys(engine.keys).outbox;
  }

  /**
   * Today's check-in: `already_done` when the member has one for `today` (or a later day, after a
   * time-zone change); the streak goes on from `yesterday`, else restarts; points added with a ledger line.
   */
  async checkIn(r: CheckInRequest): Promise<CheckInOutcome> {
    const k = this.keys;
    const reply = (await this.store.run(checkInScript,
      [k.game(r.room, r.game), k.checkIns(r.room), k.checkInCounts(r.room), k.points(r.room), k.ledger(r.room, r.user), this.outbox(r.room)],
      [r.user, r.today, r.yesterday, r.now, r.rewards.daily.join(','), r.rewards.bonus?.day ?? 0, r.rewards.bonus?.points ?? 0, LEDGER_KEEP, r.room, r.game],
    )) as number[];
    if (reply[0]! < 0) throw refusal(reply[0]!, `check-in ${r.game}`);
    const [, streak, reward, balance, count] = reply as [number, number, number, number, number];
    return { day: r.today, streak, reward, balance, count };
  }

  /** Members checked in on `day`. */
  async count(room: string, day: string): Promise<number> {
    return Number((await this.store.hget(this.keys.checkInCounts(room), day)) ?? 0);
  }
}
