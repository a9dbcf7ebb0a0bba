/**
 * In-group games as the SDK sees them (PROTOCOL.md "In-group games"). The games themselves are the
 * server's own types, imported rather than restated so the two cannot drift; what is declared here
 * are the event payloads and answers built around them.
 */
import type { Game, GameKind } from '../../../server/games/model.ts';
import type { Prize, Winner } from '../../../server/protocol/draw.ts';

export type { CheckInGame, CheckInOutcome, DrawEntry, DrawGame, Game, GameKind, GameStatus, LedgerEntry, RedPacketGame } from '../../../server/games/model.ts';

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

/** `game.get`: the game, plus a drawn draw's entries, a red packet's grabs, or a check-in's day so far. */
export interface GameDetails {
  game: Game;
  entries?: string[];
  grabs?: Array<{ user: string; amount: number }>;
  today?: { day: string; count: number };
}

/** A manager's `game.open`: what `POST /v1/groups/:chat/games` takes; the server validates it and fills defaults. */
export type OpenGameInput = { kind: GameKind; id?: string; title?: string } & Record<string, unknown>;
