import type { Broker, Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { decodeHash, Records } from '../../platform/records/records.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import type { CouponCampaign } from './model.ts';

const claimScript = luaScript(new URL('./claim-4.lua', import.meta.url));
const grantScript = luaScript(new URL('./grant-2.lua', import.meta.url));

const campaignShape = { numbers: ['value', 'minSpend', 'quantity', 'perUserLimit', 'popupSec', 'validDays', 'left', 'issued', 'poppedAt', 'closesAt'], json: ['audience'] };
const couponShape = { numbers: ['value', 'minSpend', 'validUntil'], json: [] };

/** Room state key of the coupons left (PROTOCOL.md). */
export const couponLeftStateKey = (campaign: string) => `coupon:${campaign}:left`;

/** A campaign's hash, the room's set of campaigns, each claimer's count, and the coupons issued. */
export function couponKeys(k: Keys) {
  return {
    campaign: (room: string, campaign: string) => k.room(room, `coupon:${campaign}`),
    campaigns: (room: string) => k.room(room, 'coupons'),
    claimers: (room: string, campaign: string) => k.room(room, `coupon:${campaign}:claimers`),
    /** One coupon in a viewer's hands (a buy marks it used). */
    issued: (room: string, coupon: string) => k.room(room, `issued-coupon:${coupon}`),
  };
}

export interface ClaimRequest {
  room: string;
  campaign: string;
  user: string;
  /** Derived from the request, so a repeat names the same coupon. */
  couponId: string;
  requestId: string;
  now: number;
  requestTtlMs: number;
}

/** Coupon campaigns in the store; a claim and a grant are one script each (claim-4.lua, grant-2.lua). */
export class CouponStore extends Records<CouponCampaign> {
  private readonly keys;
  private readonly broker: Broker;

  constructor(engine: Pick<Engine, 'store' | 'keys' | 'broker'>) {
    const keys = { ...couponKeys(engine.keys), request: engine.keys.request };
    super(engine, keys.campaign, keys.campaigns, campaignShape);
    this.keys = keys;
    this.broker = engine.broker;
  }

  /** Window, per-user limit and quantity checked and one coupon issued in one step; refusals throw. */
  async claim(r: ClaimRequest): Promise<{ coupon: IssuedCoupon; left: number; replayed: boolean }> {
    const k = this.keys;
    const reply = (await this.store.run(claimScript,
      [k.campaign(r.room, r.campaign), k.claimers(r.room, r.campaign), k.issued(r.room, r.couponId), k.request(r.room, r.couponId)],
      [r.user, r.now, r.couponId, r.requestTtlMs],
    )) as Array<Buffer | number>;
    const status = Number(reply[0]);
    if (status < 0) throw refusal(status, `coupon ${r.campaign}`);
    return { coupon: decodeHash<IssuedCoupon>(pairs(reply, 3), couponShape), left: Number(reply[1]), replayed: Number(reply[2]) === 1 };
  }

  /** Issues one coupon as a reward, outside the pop-up window, within the quantity; null when none is left. */
  async grant(room: string, campaign: string, user: string, couponId: string, now: number): Promise<IssuedCoupon | null> {
    const reply = (await this.store.run(grantScript, [this.keys.campaign(room, campaign), this.keys.issued(room, couponId)], [user, now, couponId])) as Array<Buffer | number>;
    if (Number(reply[0]) === -4) return null;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `coupon ${campaign}`);
    return decodeHash<IssuedCoupon>(pairs(reply, 1), couponShape);
  }

  /** Publishes `coupon:{id}:left`, read at the moment of publishing. */
  async publishLeft(room: string, id: string): Promise<void> {
    await this.broker.publishField(room, couponLeftStateKey(id), this.keys.campaign(room, id), 'left');
  }
}
