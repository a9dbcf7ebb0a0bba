import type { OrderState } from '../protocol/views.ts';

/**
 * An order from a reservation to its end. The states and what a buyer is told of an order are the
 * protocol's (server/protocol/views.ts); this is the order as kept.
 */

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
