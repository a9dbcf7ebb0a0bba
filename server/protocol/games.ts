import type { RewardTable } from './calendar.ts';
import type { Prize, Winner } from './draw.ts';

/** In-group games as the server keeps them and members see them, and the events and answers about them. */

export type GameKind = 'checkin' | 'draw' | 'red-packet';

/**
 * `open` takes part; a draw goes `open → drawing` (entries frozen) `→ drawn`; a red packet or a
 * check-in goes `open → ended`, as does a draw the manager ends before it is drawn.
 */
export type GameStatus = 'open' | 'drawing' | 'drawn' | 'ended';

interface GameBase {
  id: string;
  room: string;
  chat: string;
  status: GameStatus;
  createdAt: number;
  title: string;
  endedAt?: number;
  /** When its outcome (`draw.result`, `game.ended`) went out; one stored without it is announced by its job. */
  announcedAt?: number;
}

/** Daily check-in (签到打卡): one per member per day in the group's time zone. */
export interface CheckInGame extends GameBase {
  kind: 'checkin';
  timeZone: string;
  rewards: RewardTable;
}

/** How a member enters a lucky draw: tapping "join", a comment with the keyword, or having checked in today. */
export type DrawEntry = 'join' | 'comment' | 'checkin';

/** Lucky draw / lucky bag (抽奖 / 福袋): entries until drawAt, winners drawn once, verifiably. */
export interface DrawGame extends GameBase {
  kind: 'draw';
  prizes: Prize[];
  entry: DrawEntry;
  keyword?: string;
  drawAt: number;
  /** Whose day `entry: checkin` means: the group's check-in zone when the draw opened. */
  timeZone: string;
  /** SHA-256 of the seed, published when the draw opens. */
  commitment: string;
  entries: number;
  /** Revealed with the result. */
  seed?: string;
  winners?: Winner[];
  drawnAt?: number;
}

/** Red-packet grab (抢红包): shares fixed at creation, one grab per member. */
export interface RedPacketGame extends GameBase {
  kind: 'red-packet';
  total: number;
  count: number;
  expiresAt: number;
  left: number;
  grabbed: number;
  /** Fen nobody grabbed, set when the packet ends: what goes back to the brand. */
  unclaimed?: number;
}

export type Game = CheckInGame | DrawGame | RedPacketGame;

export interface CheckInOutcome {
  day: string;
  streak: number;
  reward: number;
  balance: number;
  /** Members checked in today. */
  count: number;
}

export interface LedgerEntry {
  at: number;
  /** Points added (positive) or spent (negative). */
  delta: number;
  reason: string;
  balance: number;
}

/** `draw.result`: the seed revealed and the winners; `entries` is a count (the list comes from `game.get`). */
export interface DrawResultEvent {
  game: string;
  title: string;
  commitment: string;
  seed: string;
  entries: number;
  prizes: Prize[];
  winners: Winner[];
}

/** `game.ended`; a red packet adds the fen nobody grabbed (to refund) and the shares left. */
export interface GameEndedEvent {
  game: string;
  kind: GameKind;
  unclaimed?: number;
  sharesLeft?: number;
}

/** How the brand's backend answered a prize's fulfilment job; `pending` until it has. */
export interface FulfilmentStatus {
  status: 'pending' | 'fulfilled' | 'failed';
  reason?: string;
  at?: number;
}

/** One prize of a drawn draw or one share of a red packet, and how it was handed out. */
export interface PrizeView extends FulfilmentStatus {
  /** The winner or grabber: their opaque id in the room (the brand's API: their user id). */
  user: string;
  /** The draw's prize name; a red packet's shares are `red-packet`, with their `amount`. */
  prize: string;
  amount?: number;
}

/** `game.get`: the game, plus a drawn draw's entries, a red packet's grabs, or a check-in's day so far. */
export interface GameDetails {
  game: Game;
  /** A drawn draw's entrants, by their opaque ids in the room (what its winners are named by). */
  entries?: string[];
  /** A red packet's grabs, each grabber by their opaque id in the room. */
  grabs?: Array<{ user: string; amount: number }>;
  /** The brand's API only: who each winner or grabber is (opaque id -> user id). */
  users?: Record<string, string>;
  /** A drawn draw's prizes, a red packet's shares: each with how it was fulfilled (FULFIL_URL). */
  prizes?: PrizeView[];
  /** An ended red packet's unclaimed money, reported once to the brand for refund (the group's manager and the brand see it). */
  refund?: FulfilmentStatus & { amount: number };
  today?: { day: string; count: number };
}
