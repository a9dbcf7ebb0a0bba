import type { AssistStatus, FlashSaleView, GroupStatus, OrderState } from '../protocol/views.ts';
import type { Product } from '../protocol/frames.ts';

/**
 * Shapes shared by the commerce tools, the engines that store them and the API that shows them.
 * What viewers are told of them (order, sale, issued coupon, group and assist views, and the states
 * in them) is the protocol's: server/protocol/views.ts.
 */

/** A flash sale as stored: what everyone sees of it, and its room. */
export interface FlashSale extends FlashSaleView {
  room: string;
}

export type OrderSource = 'flash' | 'group' | 'assist';

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
