import { stampField, type FlashSale, type Order } from '../../commerce/model.ts';
import { expiryKey } from '../../commerce/schedule-keys.ts';
import type { ErrorCode } from '../../protocol/errors.ts';
import type { BuyOutcome, BuyRequest, FlashSaleStore, ReleaseOutcome } from '../commerce.ts';
import type { Broker } from '../engine.ts';
import { leftKey } from '../../commerce/state-keys.ts';
import { addCount, type CommerceState } from './commerce-state.ts';
import { campaignKey as saleKey, MemoryCampaignStore } from './campaigns.ts';

/** The same decisions as lua/flash-buy-7.lua and lua/flash-release-5.lua, in one process. */
export class MemoryFlashSaleStore extends MemoryCampaignStore<FlashSale> implements FlashSaleStore {
  constructor(private readonly state: CommerceState, private readonly broker: Broker) {
    super(state.sales);
  }

  async publishLeft(room: string, id: string): Promise<void> {
    const sale = this.state.sales.live(room, id);
    if (sale) await this.broker.publishState(room, leftKey(id), sale.left);
  }

  async buy(r: BuyRequest): Promise<BuyOutcome> {
    const { state } = this;
    const requestKey = `${r.room}|${r.orderId}`;
    const sale = state.sales.live(r.room, r.sale);
    const previous = state.orders.get(r.orderId);
    if (previous) return { order: structuredClone(previous), left: sale!.left, soldOut: sale!.left === 0, replayed: true };
    const code = state.refusedBefore(requestKey, r.now) ?? this.check(r, sale);
    if (code) state.refuse(requestKey, code, r, `flash sale ${r.sale}`);
    const s = sale!;
    let amount = s.price * r.qty;
    if (r.coupon) {
      const coupon = state.issuedCoupons.get(`${r.room}|${r.coupon}`)!;
      amount = Math.max(0, amount - coupon.value);
      coupon.usedBy = r.orderId;
    }
    s.left -= r.qty;
    s.sold += r.qty;
    addCount(state.buyers, saleKey(r.room, r.sale), r.user, r.qty);
    const order: Order = {
      id: r.orderId, room: r.room, user: r.user, source: 'flash', campaign: s.id, product: s.product.id, qty: r.qty,
      price: s.price, amount, state: 'reserved', createdAt: r.now, payDeadline: r.now + s.payWindowSec * 1000,
      ...(r.coupon ? { coupon: r.coupon } : {}),
    };
    state.orders.set(order.id, order);
    state.schedule.set(expiryKey(r.room, order.id), order.payDeadline);
    if (s.left === 0) Object.assign(s, { status: 'ended', endedAt: r.now, endReason: 'sold_out' });
    return { order: structuredClone(order), left: s.left, soldOut: s.left === 0, replayed: false };
  }

  private check(r: BuyRequest, sale: FlashSale | undefined): ErrorCode | undefined {
    if (!sale) return 'not_found';
    if (sale.status === 'ended' || (sale.endsAt !== undefined && r.now >= sale.endsAt)) return sale.left === 0 ? 'sold_out' : 'ended';
    if (sale.status !== 'live' && !(sale.status === 'scheduled' && sale.startsAt !== undefined && r.now >= sale.startsAt)) return 'not_started';
    if (r.qty > (sale.singleOrderLimit ?? sale.perUserLimit)) return 'limit_reached';
    const held = this.state.buyers.get(saleKey(r.room, r.sale))?.get(r.user) ?? 0;
    if (held + r.qty > sale.perUserLimit) return 'limit_reached';
    if (sale.left < r.qty) return 'sold_out';
    if (!r.coupon) return undefined;
    const coupon = this.state.issuedCoupons.get(`${r.room}|${r.coupon}`);
    if (!coupon) return 'not_found';
    if (coupon.user !== r.user) return 'forbidden';
    if (coupon.usedBy) return 'already_done';
    if (r.now >= coupon.validUntil) return 'expired';
    if (sale.price * r.qty < coupon.minSpend) return 'not_eligible';
    return undefined;
  }

  async release(room: string, orderId: string, now: number, to: 'expired' | 'cancelled' = 'expired'): Promise<ReleaseOutcome | null> {
    const { state } = this;
    state.schedule.delete(expiryKey(room, orderId));
    const order = state.orders.get(orderId);
    if (!order || order.room !== room || (order.state !== 'reserved' && order.state !== 'submitted')) return null;
    const sale = state.sales.live(room, order.campaign)!;
    Object.assign(order, { state: to, [stampField(to)]: now });
    sale.left += order.qty;
    sale.sold -= order.qty;
    addCount(state.buyers, saleKey(room, sale.id), order.user, -order.qty);
    const coupon = order.coupon ? state.issuedCoupons.get(`${room}|${order.coupon}`) : undefined;
    if (coupon?.usedBy === orderId) delete coupon.usedBy;
    const relisted = sale.status === 'ended' && sale.endReason === 'sold_out' && (sale.endsAt === undefined || now < sale.endsAt);
    if (relisted) {
      sale.status = 'live';
      delete sale.endReason;
      delete sale.endedAt;
    }
    return { left: sale.left, relisted };
  }
}
