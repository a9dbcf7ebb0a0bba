import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { CouponCampaign } from '../model.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import { couponLeftKey } from '../state-keys.ts';
import type { ClaimRequest, CouponStore } from '../../engine/commerce.ts';
import type { RedisBroker } from '../../platform/bus/broker.ts';
import { decodeHash, RedisCampaigns } from '../../platform/records/records.ts';
import { pairs } from '../../platform/records/hashes.ts';
import type { RedisKeys } from '../../platform/keys.ts';
import { refusal } from '../../platform/records/refusals.ts';

const campaignShape = { numbers: ['value', 'minSpend', 'quantity', 'perUserLimit', 'popupSec', 'validDays', 'left', 'issued', 'poppedAt', 'closesAt'], json: ['audience'] };
const couponShape = { numbers: ['value', 'minSpend', 'validUntil'], json: [] };

const claimScript = luaScript(new URL('./claim-4.lua', import.meta.url));
const grantScript = luaScript(new URL('./grant-2.lua', import.meta.url));

export class RedisCouponStore extends RedisCampaigns<CouponCampaign> implements CouponStore {
  constructor(store: Store, private readonly keys: RedisKeys, private readonly broker: RedisBroker) {
    super(store, keys.coupon, keys.coupons, campaignShape);
  }

  async claim(r: ClaimRequest): Promise<{ coupon: IssuedCoupon; left: number; replayed: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(claimScript,
      [k.coupon(r.room, r.campaign), k.couponClaimers(r.room, r.campaign), k.issuedCoupon(r.room, r.couponId), k.request(r.room, r.couponId)],
      [r.user, r.now, r.couponId, r.requestTtlMs],
    )) as Array<Buffer | number>;
    const status = Number(reply[0]);
    if (status < 0) throw refusal(status, `coupon ${r.campaign}`);
    return { coupon: decodeHash<IssuedCoupon>(pairs(reply, 3), couponShape), left: Number(reply[1]), replayed: Number(reply[2]) === 1 };
  }

  async grant(room: string, campaign: string, user: string, couponId: string, now: number): Promise<IssuedCoupon | null> {
    const reply = (await this.store.run(grantScript, [this.keys.coupon(room, campaign), this.keys.issuedCoupon(room, couponId)], [user, now, couponId])) as Array<Buffer | number>;
    if (Number(reply[0]) === -4) return null;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `coupon ${campaign}`);
    return decodeHash<IssuedCoupon>(pairs(reply, 1), couponShape);
  }

  async publishLeft(room: string, id: string): Promise<void> {
    await this.broker.publishField(room, couponLeftKey(id), this.keys.coupon(room, id), 'left');
  }
}
