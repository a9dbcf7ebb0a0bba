import type { CheckInOutcome, DrawGame, Game, GameDetails, GameKind, LedgerEntry } from '../../../server/protocol/games.ts';
import type { AssistView, GroupView, IssuedCoupon, OrderView, RouteAnswer } from '../../../server/protocol/views.ts';

/** A manager's `game.open`: what `POST /v1/groups/:chat/games` takes; the server validates it and fills defaults. */
export type OpenGameInput = { kind: GameKind; id?: string; title?: string } & Record<string, unknown>;

/**
 * The protocol's ops as typed methods, each a `request` with its arguments and the type of its
 * answer. Commerce ops carry a `requestId` made here: a repeat of the request (after a reconnect)
 * gets the first answer, so a tap is never made twice.
 */
export abstract class RoomOps {
  /** Any op; answers its `data` or rejects with the server's code. */
  abstract request(op: string, args?: Record<string, unknown>): Promise<unknown>;

  /** A fresh requestId for one tap. */
  protected abstract requestId(): string;

  buy(room: string, sale: string, { qty = 1, coupon }: { qty?: number; coupon?: string } = {}): Promise<{ order: OrderView }> {
    return this.request('flash.buy', { room, sale, qty, ...(coupon ? { coupon } : {}), requestId: this.requestId() }) as Promise<{ order: OrderView }>;
  }

  claim(room: string, coupon: string) {
    return this.request('coupon.claim', { room, coupon, requestId: this.requestId() }) as Promise<{ coupon: IssuedCoupon }>;
  }

  openGroup(room: string, campaign: string) {
    return this.request('group.open', { room, campaign, requestId: this.requestId() }) as Promise<{ group: GroupView }>;
  }

  joinGroup(room: string, group: string) {
    return this.request('group.join', { room, group, requestId: this.requestId() }) as Promise<{ group: GroupView }>;
  }

  startAssist(room: string, campaign: string) {
    return this.request('assist.start', { room, campaign, requestId: this.requestId() }) as Promise<{ assist: AssistView }>;
  }

  help(ref: { assist?: string; shareCode?: string }) {
    return this.request('assist.help', { ...ref, requestId: this.requestId() }) as Promise<{ assist: AssistView }>;
  }

  route(room: string) {
    return this.request('wecom.route', { room }) as Promise<{ join: RouteAnswer }>;
  }

  /** A member's check-in in a group room (`group:{chat}`); `already_done` the second time in a day. */
  checkIn(room: string, game: string) {
    return this.request('checkin', { room, game }) as Promise<{ checkin: CheckInOutcome }>;
  }

  enterDraw(room: string, game: string) {
    return this.request('draw.enter', { room, game }) as Promise<{ entries: number }>;
  }

  /** `amount` is in fen. */
  grabRedPacket(room: string, game: string) {
    return this.request('redpacket.grab', { room, game }) as Promise<{ grab: { amount: number; left: number } }>;
  }

  game(room: string, game: string): Promise<GameDetails> {
    return this.request('game.get', { room, game }) as Promise<GameDetails>;
  }

  /** Every game of a group room, open or over, in id order. */
  games(room: string) {
    return this.request('game.list', { room }) as Promise<{ games: Game[] }>;
  }

  points(room: string) {
    return this.request('points', { room }) as Promise<{ balance: number; ledger: LedgerEntry[] }>;
  }

  /** A manager's ops name the group by its chat id, which must be in the token's `chats`. */
  openGame(chat: string, game: OpenGameInput) {
    return this.request('game.open', { chat, game }) as Promise<{ game: Game }>;
  }

  drawGame(chat: string, game: string) {
    return this.request('game.draw', { chat, game }) as Promise<{ game: DrawGame }>;
  }

  endGame(chat: string, game: string) {
    return this.request('game.end', { chat, game }) as Promise<{ game: Game }>;
  }

  comment(room: string, text: string): Promise<unknown> {
    return this.request('comment', { room, text });
  }
}
