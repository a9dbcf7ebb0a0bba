import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { stampField, type FlashSale, type Order } from '../model.ts';
import type { BuyOutcome, BuyRequest, FlashSaleStore, ReleaseOutcome } from '../../engine/commerce.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { decodeHash, RedisCampaigns } from '../../platform/records/records.ts';
import type { RedisKeys } from '../../platform/keys.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { expiryKey } from '../schedule-keys.ts';
import type { RedisBroker } from '../../platform/bus/broker.ts';
import { leftKey } from '../state-keys.ts';

const saleShape = { numbers: ['price', 'stock', 'perUserLimit', 'singleOrderLimit', 'startsAt', 'endsAt', 'payWindowSec', 'left', 'sold', 'startedAt', 'endedAt'], json: ['product'] };
const orderShape = {
  numbers: ['qty', 'price', 'amount', 'createdAt', 'payDeadline', 'submittedAt', 'paidAt', 'paidLateAt', 'cancelledAt', 'expiredAt', 'refundingAt', 'refundedAt'],
  json: [],
};

const buyScript = luaScript(new URL('./buy-8.lua', import.meta.url));
const releaseScript = luaScript(new URL('./release-5.lua', import.meta.url));

export class RedisFlashSaleStore extends RedisCampaigns<FlashSale> implements FlashSaleStore {
  constructor(store: Store, private readonly keys: RedisKeys, private readonly broker: RedisBroker) {
    super(store, keys.flashSale, keys.flashSales, saleShape);
  }

  async buy(r: BuyRequest): Promise<BuyOutcome> {
    const k = this.keys;
    const reply = (await this.store.run(buyScript,
      [k.flashSale(r.room, r.sale), k.flashBuyers(r.room, r.sale), k.order(r.room, r.orderId), k.request(r.room, r.orderId), k.schedule(), k.issuedCoupon(r.room, r.coupon ?? '-'), k.orderRooms(), k.unsettledOrders()],
      [r.user, r.qty, r.now, r.orderId, r.room, r.coupon ?? '', r.requestTtlMs, expiryKey(r.room, r.orderId)],
    )) as Array<Buffer | number>;
    const status = Number(reply[0]);
    if (status < 0) throw refusal(status, `flash sale ${r.sale}`);
    const left = Number(reply[1]);
    return { order: toOrder(pairs(reply, 4)), left, soldOut: Number(reply[2]) === 1, replayed: Number(reply[3]) === 1 };
  }

  async publishLeft(room: string, id: string): Promise<void> {
    await this.broker.publishField(room, leftKey(id), this.keys.flashSale(room, id), 'left');
  }

  async release(room: string, orderId: string, now: number, to: 'expired' | 'cancelled' = 'expired'): Promise<ReleaseOutcome | null> {
    const order = await this.store.hmget(this.keys.order(room, orderId), 'campaign', 'coupon');
    const [sale, coupon] = order;
    if (!sale) return null;
    const k = this.keys;
    const reply = (await this.store.run(releaseScript,
      [k.order(room, orderId), k.flashSale(room, sale), k.flashBuyers(room, sale), k.issuedCoupon(room, coupon ?? '-'), k.schedule()],
      [now, expiryKey(room, orderId), to, stampField(to)],
    )) as number[];
    return Number(reply[0]) === 1 ? { left: Number(reply[1]), relisted: Number(reply[2]) === 1 } : null;
  }
}

export function toOrder(hash: Record<string, string>): Order {
  return decodeHash<Order>(hash, orderShape);
}
