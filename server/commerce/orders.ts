import type { Order } from './model.ts';

/** What a buyer is told about an order (PROTOCOL.md: `order { id, state, amount, payDeadline, mallPath }`). */
export interface OrderView {
  id: string;
  state: Order['state'];
  amount: number;
  qty: number;
  payDeadline: number;
  coupon?: string;
  /** The mini-program page where the buyer pays (`payPath` from the mall); null until the mall has the order. */
  mallPath: string | null;
  mallOrderId?: string;
}

export function orderView(order: Order): OrderView {
  return {
    id: order.id,
    state: order.state,
    amount: order.amount,
    qty: order.qty,
    payDeadline: order.payDeadline,
    ...(order.coupon ? { coupon: order.coupon } : {}),
    mallPath: order.payPath ?? null,
    ...(order.mallOrderId ? { mallOrderId: order.mallOrderId } : {}),
  };
}
