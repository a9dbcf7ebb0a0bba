import type { CheckInOutcome, Game, GameStatus, LedgerEntry } from '../protocol/games.ts';
import type { RewardTable } from '../protocol/calendar.ts';

/**
 * The games half of the Engine port. Check-ins, points, entries and grabs are per group room; every
 * decision is one atomic step in both engines; refusals throw RoomcastError.
 */
export interface GameStore {
  /** With what must stay hidden until its time: a draw's seed, a red packet's shares. False when the id is taken. */
  create(game: Game, secret: { seed?: string; shares?: number[] }): Promise<boolean>;
  get(room: string, id: string): Promise<Game | null>;
  list(room: string): Promise<Game[]>;
  /** Moves the game to `to` if it is in one of `from`, else null: of racing callers one wins. */
  transition(room: string, id: string, from: GameStatus[], to: GameStatus, patch: Partial<Game>): Promise<Game | null>;
  /**
   * Today's check-in: `already_done` when the member has one for `today` (or a later day, after a
   * time-zone change); the streak goes on from `yesterday`, else restarts; points added with a ledger line.
   */
  checkIn(request: { room: string; game: string; user: string; today: string; yesterday: string; rewards: RewardTable; now: number }): Promise<CheckInOutcome>;
  /** Members checked in on `day`. */
  checkInCount(room: string, day: string): Promise<number>;
  /** A draw entry; `already_done` on a second; with `checkedInOn`, only members who checked in that day. */
  enter(request: { room: string; game: string; user: string; now: number; checkedInOn?: string }): Promise<number>;
  entries(room: string, game: string): Promise<string[]>;
  seed(room: string, game: string): Promise<string | null>;
  /** One share popped for the member: `already_done` on a second grab, `sold_out` when none is left, `ended` past expiry. */
  grab(request: { room: string; game: string; user: string; now: number }): Promise<{ amount: number; left: number }>;
  /** Ends an open red packet once, answering what nobody grabbed; null when it had ended already. */
  endRedPacket(room: string, game: string, now: number): Promise<{ unclaimed: number; left: number } | null>;
  /** Who grabbed what, in grab order. */
  grabs(room: string, game: string): Promise<Array<{ user: string; amount: number }>>;
  balance(room: string, user: string): Promise<number>;
  /** The member's latest ledger lines, newest first. */
  ledger(room: string, user: string, limit: number): Promise<LedgerEntry[]>;
  /** Deducts points only if the balance covers them (`not_eligible` otherwise); answers the new balance. */
  spend(request: { room: string; user: string; points: number; reason: string; now: number }): Promise<number>;
}

/** How many ledger lines a member keeps. */
export const LEDGER_KEEP = 100;
