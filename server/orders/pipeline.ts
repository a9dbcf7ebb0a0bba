import type { OrderState, OrderView } from '../protocol/views.ts';
import type { Order } from './model.ts';

/**
 * Where orders go after a commerce decision: the orders pipeline (settlement into the mall,
 * refunds). Calls return at once; the pipeline owns retries. Without a mall, nothing happens.
 */
export interface OrderPipeline {
  /** A reservation was made: push it to the mall. */
  reserved(orderId: string): void;
  /** A paid order that must give the money back (`refunding`: its group failed; `paid_late`): refund it through the mall. */
  refund(orderId: string, reason: string): void;
}

/**
 * A viewer became a customer in a room (paid, or completed an assist): WeCom routing invites them
 * into the buyers' group. Failures are the hook's own to log; the sale is done either way.
 */
export type CustomerHook = (user: string, room: string) => Promise<void>;

export const NO_PIPELINE: OrderPipeline = { reserved: () => {}, refund: () => {} };

/**
 * Hears an order entering a state on this node, with its amount (fen): the Prometheus counters of
 * orders and GMV by state. (The room's own figures are counted in the decisions' scripts.)
 */
export type OrderMeter = (state: OrderState, amount: number) => void;
export const NO_METER: OrderMeter = () => {};

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
