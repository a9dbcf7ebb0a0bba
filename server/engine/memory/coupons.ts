import type { CouponCampaign } from '../../commerce/model.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import { couponLeftKey } from '../../commerce/state-keys.ts';
import { refused, type ErrorCode } from '../../protocol/errors.ts';
import type { ClaimRequest, CouponStore } from '../commerce.ts';
import type { Broker } from '../engine.ts';
import { campaignKey, MemoryCampaignStore } from './campaigns.ts';
import { addCount, type CommerceState } from './commerce-state.ts';

/** The same decisions as lua/coupon-claim-4.lua, in one process. */
export class MemoryCouponStore extends MemoryCampaignStore<CouponCampaign> implements CouponStore {
  constructor(private readonly state: CommerceState, private readonly broker: Broker) {
    super(state.coupons);
  }

  async claim(r: ClaimRequest): Promise<{ coupon: IssuedCoupon; left: number; replayed: boolean }> {
    const { state } = this;
    const campaign = state.coupons.live(r.room, r.campaign);
    const requestKey = campaignKey(r.room, r.couponId);
    const previous = state.issuedCoupons.get(requestKey);
    if (previous) return { coupon: structuredClone(previous), left: campaign!.left, replayed: true };
    const code = state.refusedBefore(requestKey, r.now) ?? this.check(r, campaign);
    if (code) state.refuse(requestKey, code, r, `coupon ${r.campaign}`);
    const c = campaign!;
    c.left -= 1;
    c.issued += 1;
    addCount(state.claimers, campaignKey(r.room, c.id), r.user, 1);
    const coupon: IssuedCoupon = { id: r.couponId, campaign: c.id, user: r.user, value: c.value, minSpend: c.minSpend, validUntil: r.now + c.validDays * 86_400_000 };
    state.issuedCoupons.set(campaignKey(r.room, coupon.id), coupon);
    return { coupon: structuredClone(coupon), left: c.left, replayed: false };
  }

  private check(r: ClaimRequest, c: CouponCampaign | undefined): ErrorCode | undefined {
    if (!c) return 'not_found';
    if (c.status !== 'popped') return 'not_started';
    if (r.now >= c.closesAt!) return 'ended';
    if ((this.state.claimers.get(campaignKey(r.room, c.id))?.get(r.user) ?? 0) >= c.perUserLimit) return 'limit_reached';
    if (c.left <= 0) return 'sold_out';
    return undefined;
  }

  async grant(room: string, campaign: string, user: string, couponId: string, now: number): Promise<IssuedCoupon | null> {
    const issued = this.state.issuedCoupons.get(campaignKey(room, couponId));
    if (issued) return structuredClone(issued);
    const c = this.state.coupons.live(room, campaign);
    if (!c) throw refused('not_found', `coupon ${campaign}`);
    if (c.left <= 0) return null;
    c.left -= 1;
    c.issued += 1;
    const coupon: IssuedCoupon = { id: couponId, campaign: c.id, user, value: c.value, minSpend: c.minSpend, validUntil: now + c.validDays * 86_400_000 };
    this.state.issuedCoupons.set(campaignKey(room, couponId), coupon);
    return structuredClone(coupon);
  }

  async publishLeft(room: string, id: string): Promise<void> {
    const campaign = this.state.coupons.live(room, id);
    if (campaign) await this.broker.publishState(room, couponLeftKey(id), campaign.left);
  }
}
