import { randomUUID } from 'node:crypto';
import { roomTopic } from '../core/topics.ts';
import type { Logger } from '../observability/logger.ts';
import type { ViewerIds } from '../auth/viewer-ids.ts';
import type { Engine } from '../platform/engine.ts';
import type { LiveState } from '../platform/live-state.ts';
import type { DueWork } from '../platform/scheduler/due-work.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { DrawGame, DrawResultEvent, FulfilmentStatus, Game, GameDetails, GameEndedEvent, GameKind, PrizeView } from '../protocol/games.ts';
import type { RoomService } from '../rooms/service.ts';
import { GroupAdmission } from './admission.ts';
import { CheckIns } from './check-in/service.ts';
import { FulfilmentStatuses, REFUND } from './fulfilment/statuses.ts';
import { Draws } from './lucky-draw/service.ts';
import { Points } from './points/service.ts';
import { RedPackets } from './red-packet/service.ts';
import type { OpenGame } from './schema.ts';
import { ignoreSettled, ignoreSettledOr } from './settled.ts';
import { gameDue, GameStore } from './store.ts';

/** A prize the brand's backend has not answered for yet (or no FULFIL_URL is set). */
const PENDING: FulfilmentStatus = { status: 'pending' };

/**
 * In-group games for community managers (签到, 抽奖/福袋, 抢红包), played in group rooms on the same
 * core as live rooms: progress is room state, results are critical events, every decision is one
 * atomic script. This class opens, reads and ends games of every kind and announces their
 * outcomes; each kind's own rules are in its folder (check-in/, lucky-draw/, red-packet/), points
 * in points/, who may enter a group's room in admission.ts.
 */
export class Games {
  readonly checkIns: CheckIns;
  readonly draws: Draws;
  readonly packets: RedPackets;
  readonly points: Points;
  readonly admission: GroupAdmission;
  private readonly store: GameStore;
  private readonly fulfilment: FulfilmentStatuses;

  constructor(private readonly engine: Engine, rooms: RoomService, live: LiveState, private readonly log: Logger, private readonly viewerId: ViewerIds) {
    this.store = new GameStore(engine);
    this.fulfilment = new FulfilmentStatuses(engine);
    this.admission = new GroupAdmission(engine, rooms);
    this.checkIns = new CheckIns(engine, this.store, live);
    this.draws = new Draws(engine, this.store, live, log, viewerId);
    this.points = new Points(engine);
    this.packets = new RedPackets(engine, this.store, live, (room, id, now) => {
      void this.end(room, id, now).catch((err) => ignoreSettledOr(err, () => log.warn({ err, room, game: id }, 'red packet not ended after its last share')));
    });
  }

  /** What comes due for games: a draw at its drawAt, a red packet's end at its expiry. */
  handleDue(due: DueWork): void {
    due.on(gameDue.draw, (room, id) => this.due(room, id, () => this.draw(room, id)));
    due.on(gameDue.end, (room, id) => this.due(room, id, () => this.end(room, id)));
  }

  /** Opens a game in the group's room (made and started on first use) and announces it. */
  async open(chat: string, input: OpenGame, now = Date.now()): Promise<Game> {
    const room = await this.admission.groupRoom(chat);
    const base = { id: input.id ?? randomUUID().slice(0, 8), room, chat, status: 'open' as const, createdAt: now, title: input.title };
    let game: Game;
    const secret: { seed?: string; shares?: number[] } = {};
    if (input.kind === 'checkin') {
      game = this.checkIns.newGame(base, input);
    } else if (input.kind === 'draw') {
      ({ game, seed: secret.seed } = await this.draws.newGame(base, input, now, await this.checkIns.timeZone(room)));
    } else {
      ({ game, shares: secret.shares } = this.packets.newGame(base, input, now));
    }
    // The game, its secret and its due work (a draw, an end) are one step: none exists without the others.
    if (!(await this.store.create(game, secret))) throw new RoomcastError('already_done', `game ${game.id} already exists`);
    await this.engine.broker.publishEvent(room, [roomTopic(room)], { type: 'game.opened', data: game });
    await this.publishProgress(game, now);
    this.log.info({ room, game: game.id, kind: game.kind }, 'game opened');
    return game;
  }

  async get(room: string, id: string): Promise<Game> {
    const game = await this.store.get(room, id);
    if (!game) throw new RoomcastError('not_found', `no game ${id} in room ${room}`);
    return game;
  }

  async list(room: string): Promise<Game[]> {
    return this.store.list(room);
  }

  /** The game of that kind, open unless `mustBeOpen` is false; `not_found` for another kind. */
  async ofKind<K extends GameKind>(room: string, id: string, kind: K, mustBeOpen = true): Promise<Extract<Game, { kind: K }>> {
    const game = await this.store.get(room, id);
    if (!game || game.kind !== kind) throw new RoomcastError('not_found', `no ${kind} game ${id} in room ${room}`);
    if (mustBeOpen && game.status !== 'open') throw new RoomcastError('ended', `game ${id} is ${game.status}`);
    return game as Extract<Game, { kind: K }>;
  }

  /**
   * A game as a member may see it: a drawn draw with its entry list (to verify), a red packet with
   * its grabs, everyone by their opaque id in the room; both with their `prizes` and how each was
   * fulfilled. The group's manager also sees a red packet's refund; the brand (`to: 'brand'`, its
   * API key) also who each winner or grabber is (`users`: opaque id -> user), to hand out prizes.
   */
  async details(room: string, id: string, to: 'member' | 'manager' | 'brand' = 'member'): Promise<GameDetails> {
    const game = await this.get(room, id);
    if (game.kind === 'draw' && game.status === 'drawn') {
      const [entries, users, statuses] = await Promise.all([this.draws.entries(game), this.draws.winnerUsers(game), this.fulfilment.of(room, id)]);
      const prizes = (game.winners ?? []).map((w): PrizeView => ({ user: w.user, prize: w.prize, ...(statuses[users[w.user] ?? ''] ?? PENDING) }));
      return { game, entries, prizes, ...(to === 'brand' ? { users } : {}) };
    }
    if (game.kind === 'red-packet') {
      const [grabs, statuses] = await Promise.all([this.packets.grabs(game), this.fulfilment.of(room, id)]);
      const shown = grabs.map((g) => ({ ...g, user: this.viewerId(room, g.user) }));
      const prizes = grabs.map((g, i): PrizeView => ({ user: shown[i]!.user, prize: 'red-packet', amount: g.amount, ...(statuses[g.user] ?? PENDING) }));
      const details: GameDetails = { game, grabs: shown, prizes };
      if (to === 'member') return details;
      const refund = game.unclaimed ? { refund: { amount: game.unclaimed, ...(statuses[REFUND] ?? PENDING) } } : {};
      if (to === 'manager') return { ...details, ...refund };
      return { ...details, users: Object.fromEntries(grabs.map((g, i) => [shown[i]!.user, g.user])), ...refund };
    }
    if (game.kind === 'checkin') return { game, today: await this.checkIns.today(game, Date.now()) };
    return { game };
  }

  /** Draws once (lucky-draw/service.ts) and announces the winners. */
  async draw(room: string, id: string, now = Date.now()): Promise<DrawGame> {
    const drawn = await this.draws.draw(await this.ofKind(room, id, 'draw', false), now);
    return (await this.announce(drawn)) as DrawGame;
  }

  /** Ends a game once: a red packet reports what nobody grabbed (to refund); a draw ended early draws nothing. */
  async end(room: string, id: string, now = Date.now()): Promise<Game> {
    const game = await this.get(room, id);
    const ended = game.kind === 'red-packet' ? await this.packets.end(room, id, now) : await this.store.transition(room, id, ['open'], 'ended', { endedAt: now });
    if (!ended) throw new RoomcastError('already_done', `game ${id} is ${game.status}`);
    const over = await this.get(room, id);
    if (over.kind === 'red-packet' && over.unclaimed) this.log.info({ room, game: id, unclaimedFen: over.unclaimed, shares: over.left }, 'red packet ended with money to refund');
    return this.announce(over);
  }

  /**
   * A game's due work at drawAt or expiry: draws or ends it; or, when a node stored the outcome and
   * died before announcing it, announces it now. At least once: an outcome nobody hears is worse
   * than one heard twice.
   */
  private async due(room: string, id: string, settle: () => Promise<unknown>): Promise<void> {
    const game = await this.store.get(room, id);
    if (!game) return;
    if (game.status === 'drawn' || game.status === 'ended') {
      if (!game.announcedAt) await this.announce(game);
      return;
    }
    await settle().catch(ignoreSettled);
  }

  /** Publishes a game's outcome (`draw.result`, `game.ended`), then stamps it announced. */
  private async announce(game: Game): Promise<Game> {
    const { room, id } = game;
    if (game.kind === 'draw' && game.status === 'drawn') {
      const { title, commitment, seed, entries, prizes, winners } = game;
      // A drawn draw has its seed and winners (the draw stores them with the status).
      const data: DrawResultEvent = { game: id, title, commitment, seed: seed!, entries, prizes, winners: winners! };
      await this.engine.broker.publishEvent(room, [roomTopic(room)], { type: 'draw.result', data });
    } else {
      const refund = game.kind === 'red-packet' ? { unclaimed: game.unclaimed ?? 0, sharesLeft: game.left } : {};
      const data: GameEndedEvent = { game: id, kind: game.kind, ...refund };
      await this.engine.broker.publishEvent(room, [roomTopic(room)], { type: 'game.ended', data });
    }
    return (await this.store.transition(room, id, [game.status], game.status, { announcedAt: Date.now() })) ?? game;
  }

  private async publishProgress(game: Game, now: number): Promise<void> {
    if (game.kind === 'checkin') await this.checkIns.publishProgress(game, now);
    else if (game.kind === 'draw') await this.draws.publishProgress(game);
    else await this.packets.publishProgress(game);
  }
}
