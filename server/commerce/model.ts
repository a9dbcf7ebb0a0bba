import type { Product } from '../protocol/frames.ts';

/** Shapes shared by the commerce tools, the engines that store them and the API that shows them. */

export type FlashSaleStatus = 'scheduled' | 'live' | 'ended';
export type EndReason = 'host' | 'time' | 'sold_out';

export interface FlashSaleConfig {
  id: string;
  room: string;
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
}

export interface FlashSale extends FlashSaleConfig {
  status: FlashSaleStatus;
  left: number;
  /** Units held by reservations and paid orders; released reservations come off. */
  sold: number;
  startedAt?: number;
  endedAt?: number;
  endReason?: EndReason;
}

export type OrderSource = 'flash' | 'group' | 'assist';
/**
 * reserved -> submitted (the mall has it) -> paid | cancelled | expired; paid -> refunding ->
 * refunded (a failed group's paid members); expired | cancelled -> paid_late (paid after its stock
 * went back: never resold) -> refunded.
 */
export type OrderState = 'reserved' | 'submitted' | 'paid' | 'cancelled' | 'expired' | 'refunding' | 'refunded' | 'paid_late';

/** Each transition stamps `<state>At`: submittedAt, paidAt, paidLateAt, ... */
export function stampField(state: OrderState): string {
  return `${state.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}At`;
}

export interface Order {
  id: string;
  room: string;
  user: string;
  source: OrderSource;
  campaign: string;
  /** The group, for group-buy orders. */
  group?: string;
  product: string;
  qty: number;
  /** Unit price, fen. */
  price: number;
  /** What the buyer pays: qty x price less the coupon, fen. */
  amount: number;
  coupon?: string;
  state: OrderState;
  createdAt: number;
  payDeadline: number;
  mallOrderId?: string;
  payPath?: string;
  submittedAt?: number;
  paidAt?: number;
  paidLateAt?: number;
  cancelledAt?: number;
  expiredAt?: number;
  refundingAt?: number;
  refundedAt?: number;
}

export interface Audience {
  tags?: string[];
  channels?: string[];
}

export type CouponStatus = 'created' | 'popped';

export interface CouponCampaign {
  id: string;
  room: string;
  title: string;
  /** Discount, fen. */
  value: number;
  minSpend: number;
  quantity: number;
  perUserLimit: number;
  audience: Audience;
  popupSec: number;
  validDays: number;
  status: CouponStatus;
  left: number;
  issued: number;
  poppedAt?: number;
  closesAt?: number;
}

/** One coupon in a viewer's hands. */
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

export interface GroupBuyCampaign {
  id: string;
  room: string;
  product: Product;
  /** Group price per unit, fen. */
  price: number;
  /** Members needed to form a group. */
  size: number;
  ttlSec: number;
  /** Groups a user may be in (open or formed) per campaign. */
  perUserLimit: number;
  status: 'live' | 'ended';
  opened: number;
  formed: number;
  failed: number;
}

export type GroupStatus = 'open' | 'formed' | 'failed';

export interface Group {
  id: string;
  room: string;
  campaign: string;
  leader: string;
  members: string[];
  /** Each member's reservation, in member order. */
  orders: string[];
  size: number;
  status: GroupStatus;
  createdAt: number;
  expiresAt: number;
  formedAt?: number;
  failedAt?: number;
}

export interface AssistCampaign {
  id: string;
  room: string;
  /** With a price: completing earns a reserved purchase of this product at that price. */
  product?: Product;
  price?: number;
  /** Helps needed. */
  target: number;
  ttlSec: number;
  /** Helps one helper may give across the campaign's assists. */
  perHelperLimit: number;
  reward: { coupon?: string };
  status: 'live' | 'ended';
  started: number;
  completed: number;
}

export type AssistStatus = 'open' | 'completed' | 'expired';

export interface Assist {
  id: string;
  room: string;
  campaign: string;
  owner: string;
  helpers: string[];
  target: number;
  shareCode: string;
  status: AssistStatus;
  createdAt: number;
  expiresAt: number;
  completedAt?: number;
  /** The reward purchase, when the campaign has a price. */
  order?: string;
}
