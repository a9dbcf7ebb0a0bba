import { randomUUID } from 'node:crypto';
import type { LiveState } from '../platform/live-state.ts';
import { roomTopic } from '../core/topics.ts';
import type { Engine } from '../platform/engine.ts';
import type { Logger } from '../observability/logger.ts';
import type { JobQueues } from '../platform/jobs/queue.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { Identity } from '../protocol/frames.ts';
import type { RoomService } from '../rooms/service.ts';
import { DEFAULT_TIME_ZONE, dayOf, previousDay } from '../protocol/calendar.ts';
import { belongsTo, chatOf, groupRoom } from './group-room.ts';
import { commitment, drawWinners, newSeed } from '../protocol/draw.ts';
import { validatePrizes } from './lucky-draw/prizes.ts';
import type { CheckInGame, CheckInOutcome, DrawGame, DrawResultEvent, Game, GameDetails, GameEndedEvent, LedgerEntry, RedPacketGame } from '../protocol/games.ts';
import { splitRedPacket } from './red-packet/split.ts';
import type { OpenGame } from './schema.ts';

const LEDGER_SHOWN = 20;
/** The latest a draw may be set: its timer must fit a 32-bit delay, and a lucky bag lasts a live or two. */
const MAX_DRAW_AHEAD_MS = 7 * 86_400_000;
/** Draws and red-packet ends come due as delayed jobs; a node that dies holding one hands it on. */
const GAME_JOBS = { attempts: 8, backoffMs: 1000, maxBackoffMs: 15_000, concurrency: 16 };

type GameAction = 'draw' | 'end';

/** State keys of PROTOCOL.md's room state, for games. */
export const gameStateKeys = {
  checkIn: (game: string) => `checkin:${game}`,
  entries: (game: string) => `draw:${game}:entries`,
  packetLeft: (game: string) => `redpacket:${game}:left`,
};

/**
 * In-group games for community managers (签到, 抽奖/福袋, 抢红包), played in group rooms on the same
 * core as live rooms: progress is room state, results are critical events, every decision is one
 * atomic engine step. A draw's winners follow from a seed committed to when it opens (see
 * protocol/draw.ts), so any member can check them.
 */
export class Games {
  constructor(
    private readonly engine: Engine,
    private readonly rooms: RoomService,
    private readonly live: LiveState,
    private readonly queues: JobQueues,
    private readonly log: Logger,
  ) {}

  private get store() {
    return this.engine.games;
  }

  start(): void {
    this.queues.work('games', ({ action, room, game }) => this.due(action as GameAction, room!, game!), GAME_JOBS);
  }

  /** Opens a game in the group's room (made and started on first use) and announces it. */
  async open(chat: string, input: OpenGame, now = Date.now()): Promise<Game> {
    const room = await this.groupRoom(chat);
    const base = { id: input.id ?? randomUUID().slice(0, 8), room, chat, status: 'open' as const, createdAt: now, title: input.title };
    let game: Game;
    const secret: { seed?: string; shares?: number[] } = {};
    if (input.kind === 'checkin') {
      game = { ...base, kind: 'checkin', timeZone: input.timeZone, rewards: input.rewards };
    } else if (input.kind === 'draw') {
      validatePrizes(input.prizes);
      if (input.drawAt <= now || input.drawAt > now + MAX_DRAW_AHEAD_MS) throw new RoomcastError('bad_request', 'drawAt: in the future, within 7 days');
      secret.seed = newSeed();
      game = {
        ...base, kind: 'draw', prizes: input.prizes, entry: input.entry, ...(input.keyword ? { keyword: input.keyword } : {}),
        drawAt: input.drawAt, commitment: await commitment(secret.seed), entries: 0, timeZone: await this.timeZone(room),
      };
    } else {
      secret.shares = splitRedPacket(input.total, input.count);
      game = { ...base, kind: 'red-packet', total: input.total, count: input.count, expiresAt: now + input.expiresSec * 1000, left: input.count, grabbed: 0 };
    }
    // The job first: a game never exists without the job that draws or ends it (a job whose game
    // was then not created finds nothing and stops).
    if (game.kind === 'draw') await this.schedule('draw', game, game.drawAt - now);
    if (game.kind === 'red-packet') await this.schedule('end', game, game.expiresAt - now);
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

  /** A game as a member may see it: a drawn draw with its entry list (to verify), a red packet with its grabs. */
  async details(room: string, id: string): Promise<GameDetails> {
    const game = await this.get(room, id);
    if (game.kind === 'draw' && game.status === 'drawn') return { game, entries: await this.store.entries(room, id) };
    if (game.kind === 'red-packet') return { game, grabs: await this.store.grabs(room, id) };
    if (game.kind === 'checkin') return { game, today: await this.checkInToday(game, Date.now()) };
    return { game };
  }

  async checkIn(viewer: Identity, room: string, id: string, now = Date.now()): Promise<CheckInOutcome> {
    const game = await this.ofKind(room, id, 'checkin');
    const today = dayOf(now, game.timeZone);
    const outcome = await this.store.checkIn({ room, game: id, user: viewer.sub, today, yesterday: previousDay(today), rewards: game.rewards, now });
    this.live.mark(`checkin|${room}|${id}`, () => this.publishProgress(game, now));
    return outcome;
  }

  /** Entering a draw by tapping "join" (or, for `entry: checkin`, having checked in today). */
  async enter(viewer: Identity, room: string, id: string, now = Date.now()): Promise<number> {
    const game = await this.ofKind(room, id, 'draw');
    if (game.entry === 'comment') throw new RoomcastError('not_eligible', `comment "${game.keyword}" to enter`);
    const checkedInOn = game.entry === 'checkin' ? dayOf(now, game.timeZone) : undefined;
    return this.addEntry(game, viewer.sub, now, checkedInOn);
  }

  /**
   * A comment in a group room enters the commenter in every open draw whose keyword it contains.
   * The comment went out already: a failure here is logged, never the comment's answer.
   */
  async onComment(viewer: Identity, room: string, text: string, now = Date.now()): Promise<void> {
    if (!chatOf(room)) return;
    try {
      const draws = (await this.store.list(room)).filter((g): g is DrawGame => g.kind === 'draw' && g.status === 'open' && g.entry === 'comment' && text.includes(g.keyword!));
      await Promise.all(draws.map((draw) => this.addEntry(draw, viewer.sub, now).catch(ignoreSettled)));
    } catch (err) {
      this.log.warn({ err, room }, 'keyword entry not made');
    }
  }

  async grab(viewer: Identity, room: string, id: string, now = Date.now()): Promise<{ amount: number; left: number }> {
    const outcome = await this.store.grab({ room, game: id, user: viewer.sub, now });
    this.live.mark(`packet|${room}|${id}`, async () => this.publishProgress(await this.get(room, id), now));
    // The grab is made: ending the packet is not this member's concern (its job ends it otherwise).
    if (outcome.left === 0) void this.end(room, id, now).catch((err) => ignoreSettledOr(err, () => this.log.warn({ err, room, game: id }, 'red packet not ended after its last share')));
    return outcome;
  }

  /**
   * Draws once: entries are frozen (`open → drawing`), the winners computed from the seed and the
   * sorted entries, and stored (`drawing → drawn`); of racing nodes only one stores and announces,
   * and as every node computes the same winners, a node that died in between changes nothing.
   */
  async draw(room: string, id: string, now = Date.now()): Promise<DrawGame> {
    let game = await this.ofKind(room, id, 'draw', false);
    if (game.status === 'open') game = ((await this.store.transition(room, id, ['open'], 'drawing', {})) as DrawGame | null) ?? (await this.ofKind(room, id, 'draw', false));
    if (game.status === 'drawn') throw new RoomcastError('already_done', `draw ${id} was drawn at ${new Date(game.drawnAt!).toISOString()}`);
    if (game.status !== 'drawing') throw new RoomcastError('ended', `draw ${id} was ended without a draw`);
    const [entries, seed] = await Promise.all([this.store.entries(room, id), this.store.seed(room, id)]);
    const winners = await drawWinners(seed!, entries, game.prizes);
    const drawn = (await this.store.transition(room, id, ['drawing'], 'drawn', { seed: seed!, winners, drawnAt: now, entries: entries.length })) as DrawGame | null;
    if (!drawn) throw new RoomcastError('already_done', `draw ${id} was drawn by another node`);
    this.log.info({ room, game: id, entries: entries.length, winners: winners.length }, 'draw drawn');
    return (await this.announce(drawn)) as DrawGame;
  }

  /** Ends a game once: a red packet reports what nobody grabbed (to refund); a draw ended early draws nothing. */
  async end(room: string, id: string, now = Date.now()): Promise<Game> {
    const game = await this.get(room, id);
    const ended = game.kind === 'red-packet' ? await this.store.endRedPacket(room, id, now) : await this.store.transition(room, id, ['open'], 'ended', { endedAt: now });
    if (!ended) throw new RoomcastError('already_done', `game ${id} is ${game.status}`);
    const over = await this.get(room, id);
    if (over.kind === 'red-packet' && over.unclaimed) this.log.info({ room, game: id, unclaimedFen: over.unclaimed, shares: over.left }, 'red packet ended with money to refund');
    return this.announce(over);
  }

  /**
   * A game's job at drawAt or expiry: draws or ends it; or, when a node stored the outcome and died
   * before announcing it, announces it now. At least once: an outcome nobody hears is worse than
   * one heard twice. A game that does not exist was not created after its job was added.
   */
  private async due(action: GameAction, room: string, id: string): Promise<void> {
    const game = await this.store.get(room, id);
    if (!game) return;
    if (game.status === 'drawn' || game.status === 'ended') {
      if (!game.announcedAt) await this.announce(game);
      return;
    }
    await (action === 'draw' ? this.draw(room, id) : this.end(room, id)).catch(ignoreSettled);
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

  async points(room: string, user: string): Promise<{ balance: number; ledger: LedgerEntry[] }> {
    const [balance, ledger] = await Promise.all([this.store.balance(room, user), this.store.ledger(room, user, LEDGER_SHOWN)]);
    return { balance, ledger };
  }

  async spend(chat: string, user: string, points: number, reason: string): Promise<number> {
    return this.store.spend({ room: groupRoom(chat), user, points, reason, now: Date.now() });
  }

  /**
   * Who may join a group's room: the token names the group (`chats`), or WeCom's member list of the
   * group, as routing last read it, has the user's unionid (their `sub`).
   */
  async admits(identity: Identity, chat: string): Promise<boolean> {
    return belongsTo(identity, chat) || (await this.engine.wecom.inRoster(chat, identity.sub));
  }

  /** Managers run games only in groups named in their token. */
  requireManager(identity: Identity, chat: string): void {
    if (identity.role !== 'manager' || !belongsTo(identity, chat)) throw new RoomcastError('forbidden', `not a manager of group ${chat}`);
  }

  private async addEntry(game: DrawGame, user: string, now: number, checkedInOn?: string): Promise<number> {
    const entries = await this.store.enter({ room: game.room, game: game.id, user, now, ...(checkedInOn ? { checkedInOn } : {}) });
    // Read when published: with several nodes, each publishing its own last count could go backwards.
    this.live.mark(`draw|${game.room}|${game.id}`, async () => this.publishProgress(await this.get(game.room, game.id), now));
    return entries;
  }

  private async publishProgress(game: Game, now: number): Promise<void> {
    const { broker } = this.engine;
    if (game.kind === 'checkin') await broker.publishState(game.room, gameStateKeys.checkIn(game.id), await this.checkInToday(game, now));
    else if (game.kind === 'draw') await broker.publishState(game.room, gameStateKeys.entries(game.id), game.entries);
    else await broker.publishState(game.room, gameStateKeys.packetLeft(game.id), game.left);
  }

  private async checkInToday(game: CheckInGame, now: number): Promise<{ day: string; count: number }> {
    const day = dayOf(now, game.timeZone);
    return { day, count: await this.store.checkInCount(game.room, day) };
  }

  /** The group's time zone, fixed on a draw when it opens: its open check-in game's, else the default. */
  private async timeZone(room: string): Promise<string> {
    const checkIn = (await this.store.list(room)).find((g): g is CheckInGame => g.kind === 'checkin' && g.status === 'open');
    return checkIn?.timeZone ?? DEFAULT_TIME_ZONE;
  }

  private async ofKind<K extends Game['kind']>(room: string, id: string, kind: K, mustBeOpen = true): Promise<Extract<Game, { kind: K }>> {
    const game = await this.store.get(room, id);
    if (!game || game.kind !== kind) throw new RoomcastError('not_found', `no ${kind} game ${id} in room ${room}`);
    if (mustBeOpen && game.status !== 'open') throw new RoomcastError('ended', `game ${id} is ${game.status}`);
    return game as Extract<Game, { kind: K }>;
  }

  /** The group's room, made and started on first use (by a game or a member's join). */
  async groupRoom(chat: string): Promise<string> {
    const room = groupRoom(chat);
    // Made and started once; a group room someone ended stays ended.
    if (await this.engine.rooms.get(room)) return room;
    await this.rooms.create({ id: room, title: `group ${chat}` }).catch(ignoreSettled);
    await this.rooms.start(room).catch(ignoreSettled);
    return room;
  }

  private async schedule(action: GameAction, game: RedPacketGame | DrawGame, delayMs: number): Promise<void> {
    // BullMQ job ids may not contain ':', which group rooms do; '|' is encoded, so parts never run together.
    const jobId = [action, game.room, game.id].map(encodeURIComponent).join('|');
    await this.queues.add('games', { action, room: game.room, game: game.id }, { jobId, delayMs: Math.max(0, delayMs) });
  }
}

/** Another node (or the manager) got there first, or the game ended: nothing left to do. */
function ignoreSettled(err: unknown): void {
  ignoreSettledOr(err, () => {
    throw err;
  });
}

function ignoreSettledOr(err: unknown, otherwise: () => void): void {
  const code = (err as { code?: string }).code;
  if (code !== 'already_done' && code !== 'ended') otherwise();
}
