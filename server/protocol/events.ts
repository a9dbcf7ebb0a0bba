import type { Product } from './frames.ts';
import type { DrawResultEvent, Game, GameEndedEvent } from './games.ts';
import type { AssistView, EndReason, FlashSaleView, IssuedCoupon, OrderView, RouteAnswer } from './views.ts';

/** What each event's `data` carries (docs/protocol.md, "Events and state keys"). */

/** `room.started`, `room.ended`. */
export interface RoomTimeEvent {
  room: string;
  at: number;
}

export interface FlashStartedEvent {
  sale: FlashSaleView;
  /** Stock came back to a sold-out sale. */
  relisted?: boolean;
}

export interface FlashSoldOutEvent {
  sale: string;
}

export interface FlashEndedEvent {
  sale: string;
  reason: Exclude<EndReason, 'sold_out'>;
}

/** Sent to the coupon's audience only. */
export interface CouponPopupEvent {
  coupon: string;
  title: string;
  value: number;
  minSpend: number;
  left: number;
  closesAt: number;
  popupSec: number;
}

export interface GroupFormedEvent {
  group: string;
  campaign: string;
  members: number;
  /** In each member's personal copy: their own reservation. */
  order?: string;
}

export interface GroupFailedEvent {
  group: string;
  campaign: string;
  order: string;
  /** The member had paid. */
  refund: boolean;
}

export interface AssistProgressEvent extends AssistView {
  /** The helper's display name. */
  helper: string;
}

export interface AssistCompletedEvent extends AssistView {
  reward: { coupon?: IssuedCoupon | null; order?: string };
}

/** The buyers' pool of the room, to a viewer who paid or completed an assist. */
export interface WecomInviteEvent extends RouteAnswer {
  room: string;
  pool: string;
}

export interface CommentEvent {
  /** The comment's id in the room (`c` + a number), what `comment.removed` names. */
  id: string;
  /** `id` is the author's opaque id in the room (the join answer's `you.id`), never their sub. */
  user: { id: string; name: string; avatar?: string };
  text: string;
}

/** `comment.removed`: a host took a comment down; clients drop it. */
export interface CommentRemovedEvent {
  id: string;
}

/** `room.banned` (personal): the viewer was banned from the room; their sockets have left it. */
export interface RoomBannedEvent {
  room: string;
}

/** "{name} just bought {product}". */
export interface TickerEvent {
  name: string;
  product: string;
  qty?: number;
  group?: boolean;
}

/** Every event type the server sends, with its `data`. */
export interface EventPayloads {
  'room.started': RoomTimeEvent;
  'room.ended': RoomTimeEvent;
  'product.pinned': Product;
  'flash.started': FlashStartedEvent;
  'flash.soldout': FlashSoldOutEvent;
  'flash.ended': FlashEndedEvent;
  'coupon.popup': CouponPopupEvent;
  'group.formed': GroupFormedEvent;
  'group.failed': GroupFailedEvent;
  'assist.progress': AssistProgressEvent;
  'assist.completed': AssistCompletedEvent;
  'assist.expired': AssistView;
  'order.update': OrderView;
  'wecom.invite': WecomInviteEvent;
  'game.opened': Game;
  'draw.result': DrawResultEvent;
  'game.ended': GameEndedEvent;
  comment: CommentEvent;
  'comment.removed': CommentRemovedEvent;
  'room.banned': RoomBannedEvent;
  ticker: TickerEvent;
}
