import type { Product } from './frames.ts';

/**
 * What viewers and hosts are told about commerce: the views the server answers with and puts in its
 * events. The server keeps more (each tool's model.ts, orders/model.ts); another viewer's id is never in a view.
 */

/**
 * reserved -> submitted (the mall has it) -> paid | cancelled | expired; paid -> refunding ->
 * refunded (a failed group's paid members); expired | cancelled -> paid_late (paid after its stock
 * went back: never resold) -> refunded.
 */
export type OrderState = 'reserved' | 'submitted' | 'paid' | 'cancelled' | 'expired' | 'refunding' | 'refunded' | 'paid_late';

/** What a buyer is told about an order (PROTOCOL.md: `order { id, state, amount, payDeadline, mallPath }`). */
export interface OrderView {
  id: string;
  state: OrderState;
  amount: number;
  qty: number;
  payDeadline: number;
  coupon?: string;
  /** The mini-program page where the buyer pays (`payPath` from the mall); null until the mall has the order. */
  mallPath: string | null;
  mallOrderId?: string;
}

export type FlashSaleStatus = 'scheduled' | 'live' | 'ended';
/** Why a sale ended: the host took it down, its end time, it sold out, or the live ended (`room`). */
export type EndReason = 'host' | 'time' | 'sold_out' | 'room';

/** Who an offer is for: anyone when it names nobody, else a viewer with one of its tags or from one of its channels. */
export interface Audience {
  tags?: string[];
  channels?: string[];
}

/**
 * Who may take an offer (a flash sale, a group-buy, an assist): its `audience` (absent: everyone),
 * and `firstOrderOnly` (新人购: only viewers with no paid order of this brand yet).
 */
export interface OfferTerms {
  audience?: Audience;
  firstOrderOnly?: boolean;
}

/** A flash sale as `flash.started`, the snapshot's campaigns and the HTTP API show it. */
export interface FlashSaleView extends OfferTerms {
  id: string;
  product: Product;
  /** Sale price per unit, fen. */
  price: number;
  stock: number;
  perUserLimit: number;
  /** Units per buy; absent: up to perUserLimit. */
  singleOrderLimit?: number;
  startsAt?: number;
  endsAt?: number;
  payWindowSec: number;
  status: FlashSaleStatus;
  left: number;
  /** Units held by reservations and paid orders; released reservations come off. */
  sold: number;
  startedAt?: number;
  endedAt?: number;
  endReason?: EndReason;
}

/** One coupon in a viewer's hands: what `coupon.claim` answers. */
export interface IssuedCoupon {
  id: string;
  campaign: string;
  user: string;
  value: number;
  minSpend: number;
  validUntil: number;
  /** The order it was applied to. */
  usedBy?: string;
}

export type GroupStatus = 'open' | 'formed' | 'failed';

/** What viewers see of a group: how full it is, never who else is in it. */
export interface GroupView {
  id: string;
  campaign: string;
  members: number;
  size: number;
  status: GroupStatus;
  expiresAt: number;
  /** The caller's own reservation in this group. */
  order?: string;
}

/** The value of state key `group:{group}`. */
export type GroupProgress = Pick<GroupView, 'members' | 'size' | 'status'>;

export type AssistStatus = 'open' | 'completed' | 'expired';

/** What the protocol answers: `assist { id, helpers, target, expiresAt, shareCode }`. */
export interface AssistView {
  id: string;
  campaign: string;
  helpers: number;
  target: number;
  status: AssistStatus;
  expiresAt: number;
  shareCode: string;
}

/** `wecom.route`'s `join`: the WeCom group to join and how. */
export interface RouteAnswer {
  groupName: string;
  qrCode: string;
  configId: string;
}

/**
 * A room's business figures (`GET /v1/rooms/:room/figures`, the host's `figures` op and its pushes),
 * each counted in the same step as the decision it counts. Money in fen. Orders count the orders that
 * entered each state; the funnel counts viewers once per stage.
 */
export interface RoomFigures {
  room: string;
  at: number;
  viewers: { now: number; peak: number; unique: number };
  likes: number;
  /** Comments that reached the room (`hidden`: those only their author saw). */
  comments: number;
  hidden: number;
  orders: { reserved: number; submitted: number; paid: number; expired: number; cancelled: number; refunded: number };
  gmv: { reserved: number; paid: number; refunded: number };
  funnel: { joined: number; tapped: number; reserved: number; paid: number };
  coupons: Array<{ id: string; title: string; issued: number; used: number; left: number }>;
  groups: { open: number; formed: number; failed: number };
  assists: { open: number; completed: number };
}

/** One minute of a room's timeline (`GET /v1/rooms/:room/figures.csv`). */
export interface FiguresMinute {
  /** Epoch ms of the minute's start. */
  minute: number;
  viewersPeak: number;
  joined: number;
  comments: number;
  tapped: number;
  reserved: number;
  paid: number;
  gmvReserved: number;
  gmvPaid: number;
}
