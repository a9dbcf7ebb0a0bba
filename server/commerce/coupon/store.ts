import type { Broker, Engine } from '../../platform/engine.ts';
import type { Keys } from '../../platform/keys.ts';
import { participationKeys } from '../../participation/keys.ts';
import { roomMetaKey } from '../../rooms/store.ts';
import { pairs } from '../../platform/records/hashes.ts';
import { decodeHash, Records } from '../../platform/records/records.ts';
import { refusal } from '../../platform/records/refusals.ts';
import type { RoomcastError } from '../../protocol/errors.ts';
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

export interface ClaimOutcome {
  coupon: IssuedCoupon;
  left: number;
  /** True when this was a repeat of an answered request. */
  replayed: boolean;
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
    const keys = { ...couponKeys(engine.keys), participation: participationKeys(engine.keys), request: engine.keys.request, room: (room: string) => roomMetaKey(engine.keys, room) };
    super(engine, keys.campaign, keys.campaigns, campaignShape);
    this.keys = keys;
    this.broker = engine.broker;
  }

  /** Window, per-user limit and quantity checked and one coupon issued in one step; refusals throw. */
  /** One claim; a refusal throws RoomcastError. */
  async claim(r: ClaimRequest): Promise<ClaimOutcome> {
    const [outcome] = await this.claimAll([r]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Claims of one coupon (one room, one campaign, one request ttl), decided one by one in the
   * order given, in one step (claim-4.lua): each answered as it would be alone, a refusal as its RoomcastError.
   */
  async claimAll(requests: readonly ClaimRequest[]): Promise<Array<ClaimOutcome | RoomcastError>> {
    const k = this.keys;
    const { room, campaign, requestTtlMs } = requests[0]!;
    const keys = [k.campaign(room, campaign), k.claimers(room, campaign), k.room(room), k.participation.outbox(room)];
    const args: Array<string | number> = [requestTtlMs, room];
    for (const r of requests) {
      if (r.room !== room || r.campaign !== campaign || r.requestTtlMs !== requestTtlMs) throw new Error('claimAll: one coupon and one request ttl per call');
      keys.push(k.issued(room, r.couponId), k.request(room, r.couponId));
      args.push(r.user, r.now, r.couponId);
    }
    const replies = (await this.store.run(claimScript, keys, args)) as Array<Array<Buffer | number>>;
    return replies.map((reply) => {
      const status = Number(reply[0]);
      if (status < 0) return refusal(status, `coupon ${campaign}`);
      return { coupon: decodeHash<IssuedCoupon>(pairs(reply, 3), couponShape), left: Number(reply[1]), replayed: Number(reply[2]) === 1 };
    });
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
