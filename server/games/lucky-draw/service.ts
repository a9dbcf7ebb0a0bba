import type { ViewerIds } from '../../auth/viewer-ids.ts';
import type { Engine } from '../../platform/engine.ts';
import type { LiveState } from '../../platform/live-state.ts';
import type { Logger } from '../../observability/logger.ts';
import { dayOf, DEFAULT_TIME_ZONE } from '../../protocol/calendar.ts';
import { commitment, drawWinners, newSeed } from '../../protocol/draw.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { DrawGame } from '../../protocol/games.ts';
import { chatOf } from '../group-room.ts';
import type { OpenGame } from '../schema.ts';
import { ignoreSettled } from '../settled.ts';
import type { GameStore } from '../store.ts';
import { validatePrizes } from './prizes.ts';
import { DrawStore } from './store.ts';

/** The latest a draw may be set: a lucky bag lasts a live or two. */
const MAX_DRAW_AHEAD_MS = 7 * 86_400_000;

/** Room state key of a draw's entry count (PROTOCOL.md). */
export const entriesStateKey = (game: string) => `draw:${game}:entries`;

/**
 * Lucky draw / lucky bag (抽奖 / 福袋): entries until drawAt (a tap, a keyword comment, or a
 * check-in that day), then winners drawn once. The winners follow from a seed committed to when the
 * draw opens (protocol/draw.ts), so any member can check them.
 */
export class Draws {
  private readonly store: DrawStore;

  constructor(private readonly engine: Engine, private readonly games: GameStore, private readonly live: LiveState, private readonly log: Logger, private readonly viewerId: ViewerIds) {
    this.store = new DrawStore(engine);
  }

  /** A new draw and its seed; its zone fixed now: the group's check-in zone (`timeZone`), else the default. */
  async newGame(base: Omit<DrawGame, 'kind' | 'prizes' | 'entry' | 'drawAt' | 'commitment' | 'entries' | 'timeZone'>, input: Extract<OpenGame, { kind: 'draw' }>, now: number, timeZone: string | undefined): Promise<{ game: DrawGame; seed: string }> {
    validatePrizes(input.prizes);
    if (input.drawAt <= now || input.drawAt > now + MAX_DRAW_AHEAD_MS) throw new RoomcastError('bad_request', 'drawAt: in the future, within 7 days');
    const seed = newSeed();
    const game: DrawGame = {
      ...base, kind: 'draw', prizes: input.prizes, entry: input.entry, ...(input.keyword ? { keyword: input.keyword } : {}),
      drawAt: input.drawAt, commitment: await commitment(seed), entries: 0, timeZone: timeZone ?? DEFAULT_TIME_ZONE,
    };
    return { game, seed };
  }

  /** Entering a draw by tapping "join" (or, for `entry: checkin`, having checked in today). */
  async enter(viewer: Identity, game: DrawGame, now = Date.now()): Promise<number> {
    if (game.entry === 'comment') throw new RoomcastError('not_eligible', `comment "${game.keyword}" to enter`);
    const checkedInOn = game.entry === 'checkin' ? dayOf(now, game.timeZone) : undefined;
    return this.addEntry(game, viewer, now, checkedInOn);
  }

  /**
   * A comment in a group room enters the commenter in every open draw whose keyword it contains.
   * The comment went out already: a failure here is logged, never the comment's answer.
   */
  async onComment(viewer: Identity, room: string, text: string, now = Date.now()): Promise<void> {
    if (!chatOf(room)) return;
    try {
      const draws = (await this.games.list(room)).filter((g): g is DrawGame => g.kind === 'draw' && g.status === 'open' && g.entry === 'comment' && text.includes(g.keyword!));
      await Promise.all(draws.map((draw) => this.addEntry(draw, viewer, now).catch(ignoreSettled)));
    } catch (err) {
      this.log.warn({ err, room }, 'keyword entry not made');
    }
  }

  /**
   * Draws once: entries are frozen (`open → drawing`), the winners computed from the seed and the
   * sorted entries, and stored (`drawing → drawn`); of racing nodes only one stores (and its caller
   * announces), and as every node computes the same winners, a node that died in between changes
   * nothing. Each winner's `draw.won` is written in the storing step: the prize is handed on once.
   */
  async draw(game: DrawGame, now: number): Promise<DrawGame> {
    const { room, id } = game;
    if (game.status === 'open') game = ((await this.games.transition(room, id, ['open'], 'drawing', {})) as DrawGame | null) ?? ((await this.games.get(room, id)) as DrawGame);
    if (game.status === 'drawn') throw new RoomcastError('already_done', `draw ${id} was drawn at ${new Date(game.drawnAt!).toISOString()}`);
    if (game.status !== 'drawing') throw new RoomcastError('ended', `draw ${id} was ended without a draw`);
    const [entries, seed] = await Promise.all([this.store.entries(room, id), this.store.seed(room, id)]);
    const winners = await drawWinners(seed!, entries, game.prizes);
    const drawn = await this.store.drawn(room, id, winners, { seed: seed!, drawnAt: now, entries: entries.length }, now);
    if (!drawn) throw new RoomcastError('already_done', `draw ${id} was drawn by another node`);
    this.log.info({ room, game: id, entries: entries.length, winners: winners.length }, 'draw drawn');
    return drawn;
  }

  /** The entry list (entrants' opaque ids), for members to verify a drawn draw. */
  entries(game: DrawGame): Promise<string[]> {
    return this.store.entries(game.room, game.id);
  }

  /** Who the winners of a drawn draw are (opaque id -> user), for the brand to hand out the prizes. */
  winnerUsers(game: DrawGame): Promise<Record<string, string>> {
    return this.store.users(game.room, game.id, (game.winners ?? []).map((w) => w.user));
  }

  async publishProgress(game: DrawGame): Promise<void> {
    await this.engine.broker.publishState(game.room, entriesStateKey(game.id), game.entries);
  }

  private async addEntry(game: DrawGame, viewer: Identity, now: number, checkedInOn?: string): Promise<number> {
    const entrant = this.viewerId(game.room, viewer.sub);
    const entries = await this.store.enter({ room: game.room, game: game.id, user: viewer.sub, entrant, now, ...(checkedInOn ? { checkedInOn } : {}) });
    // Read when published: with several nodes, each publishing its own last count could go backwards.
    this.live.mark(`draw|${game.room}|${game.id}`, async () => this.publishProgress((await this.games.get(game.room, game.id)) as DrawGame));
    return entries;
  }
}
