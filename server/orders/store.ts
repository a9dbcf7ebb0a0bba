import { liveOpsKeys, type LiveOpsKeys } from '../live-ops/keys.ts';
import { participationKeys } from '../participation/keys.ts';
import type { Engine } from '../platform/engine.ts';
import type { Keys } from '../platform/keys.ts';
import { fields, pairs } from '../platform/records/hashes.ts';
import { decodeHash } from '../platform/records/records.ts';
import { luaScript } from '../platform/store/lua-script.ts';
import type { Store } from '../platform/store/store.ts';
import type { OrderState } from '../protocol/views.ts';
import { stampField, type Order } from './model.ts';
import { NO_METER, type OrderMeter } from './pipeline.ts';

const transitionScript = luaScript(new URL('./transition-5.lua', import.meta.url));

const orderShape = {
  numbers: ['qty', 'price', 'amount', 'createdAt', 'payDeadline', 'submittedAt', 'paidAt', 'paidLateAt', 'cancelledAt', 'expiredAt', 'refundingAt', 'refundedAt'],
  json: [],
};

/**
 * Order keys. An order is a hash in its room's slot; the decisions that make one (a buy, a group
 * seat, an assist's reward) index it in the same step (orders/index-order.lua).
 */
export function orderKeys(k: Keys) {
  return {
    order: (room: string, order: string) => k.room(room, `order:${order}`),
    /** Order keys of a room are this prefix and the order id (scripts that touch many orders build them). */
    prefix: (room: string) => k.room(room, 'order:'),
    /** Which room an order belongs to, for reads by order id: the index of the order's room (writes), or of its id (reads). */
    rooms: (room: string) => k.index(room, 'order-rooms'),
    roomsOf: (order: string) => k.indexOf(order, 'order-rooms'),
    /** Reservations by creation time, until the settle sweep sees them leave `reserved`; one per slot on a cluster. */
    unsettled: (room: string) => k.index(room, 'unsettled-orders'),
    unsettledOf: (order: string) => k.indexOf(order, 'unsettled-orders'),
    /** Viewers with a paid order (`payersName`: every slot's is read through the shards' list). */
    payers: (room: string) => k.index(room, 'payers'),
    payersName: 'payers',
  };
}

/** Orders after their reservation: read by id, moved from state to state once (a transition of which one caller wins). */
export class OrderStore {
  private readonly store: Store;
  private readonly keys: ReturnType<typeof orderKeys>;
  private readonly liveOps: LiveOpsKeys;
  private readonly outbox: (room: string) => string;

  /** `meter` hears each transition this store makes. */
  private readonly shards: Engine['shards'];

  constructor(engine: Pick<Engine, 'store' | 'keys' | 'shards'>, private readonly meter: OrderMeter = NO_METER) {
    this.store = engine.store;
    this.shards = engine.shards;
    this.keys = orderKeys(engine.keys);
    this.liveOps = liveOpsKeys(engine.keys);
    this.outbox = participationKeys(engine.keys).outbox;
  }

  /**
   * Moves the order to `to` if it is in one of `from` (stamping `<to>At`), counting it in its room's
   * figures in the same step; null when it was not.
   */
  async transition(id: string, from: OrderState[], to: OrderState, patch: Partial<Order> = {}): Promise<Order | null> {
    const room = await this.store.hget(this.keys.roomsOf(id), id);
    if (!room) return null;
    const now = Date.now();
    const reply = (await this.store.run(transitionScript, [this.keys.order(room, id), this.liveOps.figures(room), this.liveOps.reach(room), this.outbox(room), this.keys.payers(room)],
      [now, from.join(','), to, ...fields({ ...patch, [stampField(to)]: now })])) as Buffer[];
    if (!reply.length) return null;
    const order = toOrder(pairs(reply));
    this.meter(to, order.amount);
    return order;
  }

  /**
   * Whether the viewer has paid an order of this brand (in any room, since payers were marked):
   * the mark is written in the payment's own step, in its room's slot, so each slot's is asked.
   */
  async hasPaid(user: string): Promise<boolean> {
    const marks = await Promise.all((await this.shards.indexes(this.keys.payersName)).map((key) => this.store.sismember(key, user)));
    return marks.includes(true);
  }

  async get(id: string): Promise<Order | null> {
    const room = await this.store.hget(this.keys.roomsOf(id), id);
    if (!room) return null;
    const hash = await this.store.hgetall(this.keys.order(room, id));
    return Object.keys(hash).length ? toOrder(hash) : null;
  }

  /** The room's orders created at or after `since`, oldest first (a SCAN of the room's order keys). */
  async ofRoom(room: string, since: number): Promise<Order[]> {
    const keys = await this.store.scanKeys(`${this.keys.prefix(room)}*`);
    const orders = (await Promise.all(keys.map(async (key) => this.store.hgetall(key))))
      .filter((hash) => Object.keys(hash).length)
      .map(toOrder)
      .filter((order) => order.createdAt >= since);
    return orders.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /**
   * Orders still `reserved` that were created before `createdBefore`, oldest first: the settle
   * sweep's work list. Orders that left `reserved` drop out of it for good.
   */
  async unsettled(createdBefore: number, limit: number): Promise<Order[]> {
    const found = await Promise.all((await this.shards.indexes('unsettled-orders')).map(async (index) => {
      const ids = (await this.store.call('ZRANGEBYSCORE', index, '-inf', `(${createdBefore}`, 'LIMIT', 0, limit)) as string[];
      const orders = await Promise.all(ids.map((id) => this.get(id)));
      const settled = ids.filter((_, i) => orders[i]?.state !== 'reserved');
      if (settled.length) await this.store.call('ZREM', index, ...settled);
      return orders.filter((o): o is Order => o?.state === 'reserved');
    }));
    return found.flat().sort((a, b) => a.createdAt - b.createdAt).slice(0, limit);
  }
}

export function toOrder(hash: Record<string, string>): Order {
  return decodeHash<Order>(hash, orderShape);
}
