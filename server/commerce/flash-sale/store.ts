import type { Broker, Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { Records } from '../../platform/records/records.ts';
import { refusal } from '../../platform/records/refusals.ts';
import type { RoomcastError } from '../../protocol/errors.ts';
import { dueKey } from '../../platform/scheduler/due-work.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import { orderKeys, toOrder } from '../../orders/store.ts';
import { stampField, type Order } from '../../orders/model.ts';
import { couponKeys } from '../coupon/store.ts';
import { liveOpsKeys } from '../../live-ops/keys.ts';
import { participationKeys } from '../../participation/keys.ts';
import { roomMetaKey } from '../../rooms/store.ts';
import type { FlashSale } from './model.ts';

const buyScript = luaScript(new URL('./buy-9.lua', import.meta.url));
const releaseScript = luaScript(new URL('./release-7.lua', import.meta.url));

const saleShape = { numbers: ['price', 'stock', 'perUserLimit', 'singleOrderLimit', 'startsAt', 'endsAt', 'payWindowSec', 'left', 'sold', 'startedAt', 'endedAt'], json: ['product', 'audience', 'firstOrderOnly'] };

/** Kinds of due work a flash sale schedules: a reservation's pay deadline, the sale's start and end. */
export const flashDue = { payDeadline: 'expire', start: 'flash-start', end: 'flash-end' } as const;

/** Room state key of the stock left (PROTOCOL.md). */
export const leftStateKey = (sale: string) => `flash:${sale}:left`;

/** A sale's hash, the room's set of sales, and each buyer's units held. */
export function flashKeys(k: Keys) {
  return {
    sale: (room: string, sale: string) => k.room(room, `flash:${sale}`),
    sales: (room: string) => k.room(room, 'flash-sales'),
    buyers: (room: string, sale: string) => k.room(room, `flash:${sale}:buyers`),
  };
}

export interface BuyRequest {
  room: string;
  sale: string;
  user: string;
  qty: number;
  /** Derived from the request, so a repeat names the same order. */
  orderId: string;
  requestId: string;
  coupon?: string;
  now: number;
  /** How long a request's first answer is kept for repeats. */
  requestTtlMs: number;
}

export interface BuyOutcome {
  order: Order;
  left: number;
  soldOut: boolean;
  /** True when this was a repeat of an answered request. */
  replayed: boolean;
}

export interface ReleaseOutcome {
  left: number;
  /** A sold-out sale went back on sale because stock came back inside its window. */
  relisted: boolean;
}

/** Flash sales in the store; every decision is one script (buy-9.lua, release-7.lua), which counts the room's figures too. */
export class FlashSaleStore extends Records<FlashSale> {
  private readonly keys;
  private readonly broker: Broker;

  constructor(engine: Pick<Engine, 'store' | 'keys' | 'broker'>) {
    const keys = {
      ...flashKeys(engine.keys), orders: orderKeys(engine.keys), coupons: couponKeys(engine.keys), liveOps: liveOpsKeys(engine.keys), participation: participationKeys(engine.keys),
      request: engine.keys.request, schedule: engine.keys.schedule, room: (room: string) => roomMetaKey(engine.keys, room),
    };
    super(engine, keys.sale, keys.sales, saleShape);
    this.keys = keys;
    this.broker = engine.broker;
  }

  /** One buy: window, limits, stock and coupon checked and stock taken in one step; a refusal throws RoomcastError. */
  async buy(r: BuyRequest): Promise<BuyOutcome> {
    const [outcome] = await this.buyAll([r]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Buys on one sale (one room, one sale, one request ttl), decided one by one in the order given,
   * in one step (buy-9.lua): each answered as it would be alone, a refusal as its RoomcastError.
   */
  async buyAll(requests: readonly BuyRequest[]): Promise<Array<BuyOutcome | RoomcastError>> {
    const k = this.keys;
    const { room, sale, requestTtlMs } = requests[0]!;
    const keys = [k.sale(room, sale), k.buyers(room, sale), k.schedule(room), k.orders.rooms(room), k.orders.unsettled(room), k.room(room), k.liveOps.figures(room), k.liveOps.reach(room), k.participation.outbox(room)];
    const args: Array<string | number> = [room, requestTtlMs];
    for (const r of requests) {
      if (r.room !== room || r.sale !== sale || r.requestTtlMs !== requestTtlMs) throw new Error('buyAll: one sale and one request ttl per call');
      keys.push(k.orders.order(room, r.orderId), k.request(room, r.orderId), k.coupons.issued(room, r.coupon ?? '-'));
      args.push(r.user, r.qty, r.now, r.orderId, r.coupon ?? '', dueKey(flashDue.payDeadline, room, r.orderId));
    }
    const replies = (await this.store.run(buyScript, keys, args)) as Array<Array<Buffer | number>>;
    return replies.map((reply) => {
      const status = Number(reply[0]);
      if (status < 0) return refusal(status, `flash sale ${sale}`);
      return { order: toOrder(pairs(reply, 4)), left: Number(reply[1]), soldOut: Number(reply[2]) === 1, replayed: Number(reply[3]) === 1 };
    });
  }

  /**
   * Publishes the sale's stock left as state `flash:{sale}:left`, read at the moment of publishing,
   * so that publications from several nodes cannot leave viewers with an older value.
   */
  async publishLeft(room: string, id: string): Promise<void> {
    await this.broker.publishField(room, leftStateKey(id), this.keys.sale(room, id), 'left');
  }

  /**
   * Releases an unpaid order (reserved or submitted) once, into `expired` (its deadline passed) or
   * `cancelled` (the mall cancelled it); null when it was not unpaid (paid, released already).
   */
  async release(room: string, orderId: string, now: number, to: 'expired' | 'cancelled' = 'expired'): Promise<ReleaseOutcome | null> {
    const k = this.keys;
    const [sale, coupon] = await this.store.hmget(k.orders.order(room, orderId), 'campaign', 'coupon');
    if (!sale) return null;
    const reply = (await this.store.run(releaseScript,
      [k.orders.order(room, orderId), k.sale(room, sale), k.buyers(room, sale), k.coupons.issued(room, coupon ?? '-'), k.schedule(room), k.liveOps.figures(room), k.liveOps.reach(room)],
      [now, dueKey(flashDue.payDeadline, room, orderId), to, stampField(to)],
    )) as number[];
    return Number(reply[0]) === 1 ? { left: Number(reply[1]), relisted: Number(reply[2]) === 1 } : null;
  }
}
