import type { FlashSales } from '../commerce/flash-sale/service.ts';
import type { Order } from './model.ts';
import { NO_METER, orderView, type CustomerHook, type OrderMeter, type OrderPipeline } from './pipeline.ts';
import type { OrderView } from '../protocol/views.ts';
import type { Engine } from '../platform/engine.ts';
import { OrderStore } from './store.ts';
import type { Logger } from '../observability/logger.ts';
import { RoomcastError } from '../protocol/errors.ts';

export interface MallNotification {
  orderId: string;
  mallOrderId: string;
  status: 'paid' | 'cancelled' | 'refunded';
  paidAt?: number;
  amount?: number;
}

export interface NotificationOutcome {
  order: OrderView;
  /** False for a repeat the mall sent again: nothing changed, and it is still answered 200. */
  changed: boolean;
}

/**
 * The order state machine after the reservation: what the mall tells us (paid, cancelled,
 * refunded) becomes one atomic transition, told to the buyer as `order.update`. Repeats change
 * nothing; a payment for an order whose stock already went back becomes `paid_late` and is refunded
 * through the mall, never resold.
 */
/** An order as the brand's API answers it: the buyer's view, who and where, and every `<state>At`. */
type OrderRecord = OrderView & Pick<Order, 'user' | 'room' | 'source' | 'createdAt'> & Partial<Record<`${string}At`, number>>;

function record(order: Order): OrderRecord {
  const stamps = Object.fromEntries(Object.entries(order).filter(([field]) => field.endsWith('At')));
  return { ...orderView(order), user: order.user, room: order.room, source: order.source, createdAt: order.createdAt, ...stamps };
}

export class Orders {
  private readonly orders: OrderStore;

  constructor(
    private readonly engine: Engine,
    private readonly flash: FlashSales,
    private readonly log: Logger,
    private readonly onCustomer: CustomerHook = async () => {},
    /** Settlement, when there is a mall: late payments are refunded through it. */
    private readonly refunds?: Pick<OrderPipeline, 'refund'>,
    meter: OrderMeter = NO_METER,
  ) {
    this.orders = new OrderStore(engine, meter);
  }

  /** What operators see: the buyer's view plus who, where, and when each state was reached. */
  async get(id: string): Promise<OrderRecord> {
    const order = await this.orders.get(id);
    if (!order) throw new RoomcastError('not_found', `no order ${id}`);
    return record(order);
  }

  /** A room's orders since a time, oldest first, as `get` answers each: for an operator's export before retention. */
  async ofRoom(room: string, since: number): Promise<OrderRecord[]> {
    return (await this.orders.ofRoom(room, since)).map(record);
  }

  async applyNotification(n: MallNotification): Promise<NotificationOutcome> {
    const order = await this.orders.get(n.orderId);
    if (!order) throw new RoomcastError('not_found', `no order ${n.orderId}`);
    if (order.mallOrderId && order.mallOrderId !== n.mallOrderId) throw new RoomcastError('bad_request', 'mallOrderId: does not match the order');
    if (n.amount !== undefined && n.amount !== order.amount) throw new RoomcastError('bad_request', 'amount: does not match the order');
    const changed = await this.transition(order, n);
    const now = (await this.orders.get(n.orderId))!;
    if (changed) await this.engine.broker.publishToUser(now.user, { type: 'order.update', data: orderView(now) });
    if (changed && now.state === 'paid') await this.onCustomer(now.user, now.room);
    return { order: orderView(now), changed };
  }

  private async transition(order: Order, n: MallNotification): Promise<boolean> {
    const { orders } = this;
    const mall = { mallOrderId: n.mallOrderId };
    switch (n.status) {
      case 'paid': {
        if (await orders.transition(order.id, ['reserved', 'submitted'], 'paid', mall)) return true;
        // Its deadline passed first and the stock went back: never resell it, refund it.
        const late = await orders.transition(order.id, ['expired', 'cancelled'], 'paid_late', mall);
        if (!late) return false;
        if (this.refunds) this.refunds.refund(order.id, 'paid after its reservation ended');
        else this.log.warn({ order: order.id, user: order.user, amount: order.amount, mallOrderId: n.mallOrderId }, 'paid after its reservation ended, and no mall to refund through: refund it by hand');
        return true;
      }
      case 'cancelled':
        if (order.source === 'flash') return this.flash.release(order.room, order.id, 'cancelled');
        return (await orders.transition(order.id, ['reserved', 'submitted'], 'cancelled', mall)) !== null;
      case 'refunded':
        return (await orders.transition(order.id, ['paid', 'paid_late', 'refunding'], 'refunded', mall)) !== null;
    }
  }
}
