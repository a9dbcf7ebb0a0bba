import type { Assist, AssistCampaign, CouponCampaign, FlashSale, Group, GroupBuyCampaign, Order } from '../../commerce/model.ts';
import type { IssuedCoupon } from '../../protocol/views.ts';
import { refused, type ErrorCode } from '../../protocol/errors.ts';
import { MemoryCampaigns } from './campaigns.ts';

/**
 * Everything commerce keeps in the memory engine. Each store method below runs without an await
 * between its checks and its writes, which is what makes it atomic in one process.
 */
export class CommerceState {
  readonly sales = new MemoryCampaigns<FlashSale>();
  /** sale key -> user -> units held */
  readonly buyers = new Map<string, Map<string, number>>();
  readonly coupons = new MemoryCampaigns<CouponCampaign>();
  /** campaign key -> user -> coupons claimed */
  readonly claimers = new Map<string, Map<string, number>>();
  readonly orders = new Map<string, Order>();
  /** room|record id -> a remembered answer: "!<code>" for a refusal, "ok" for a help */
  readonly requests = new Map<string, { answer: string; expiresAt: number }>();
  readonly groupBuys = new MemoryCampaigns<GroupBuyCampaign>();
  /** room|group id -> the group */
  readonly groups = new Map<string, Group>();
  /** campaign key -> user -> the open group they are in */
  readonly groupOpenMembers = new Map<string, Map<string, string>>();
  /** campaign key -> user -> groups joined (failed ones excluded) */
  readonly groupCounts = new Map<string, Map<string, number>>();
  readonly assistCampaigns = new MemoryCampaigns<AssistCampaign>();
  /** assist id -> the assist (ids are derived from room, campaign and owner, so unique) */
  readonly assists = new Map<string, Assist>();
  readonly shareCodes = new Map<string, string>();
  /** campaign key -> owner -> their open assist */
  readonly assistOwners = new Map<string, Map<string, string>>();
  /** campaign key -> helper -> helps given */
  readonly helperCounts = new Map<string, Map<string, number>>();
  /** room|coupon id -> the coupon */
  readonly issuedCoupons = new Map<string, IssuedCoupon>();
  readonly schedule = new Map<string, number>();

  answered(key: string, now: number): string | undefined {
    const hit = this.requests.get(key);
    if (hit && hit.expiresAt > now) return hit.answer;
    return undefined;
  }

  remember(key: string, answer: string, now: number, ttlMs: number): void {
    this.requests.set(key, { answer, expiresAt: now + ttlMs });
  }

  /** The refusal this request got before, if it is still remembered (lua/includes/requests.lua). */
  refusedBefore(key: string, now: number): ErrorCode | undefined {
    const answer = this.answered(key, now);
    return answer?.startsWith('!') ? (answer.slice(1) as ErrorCode) : undefined;
  }

  /** Remembers the refusal for repeats, then throws it. */
  refuse(key: string, code: ErrorCode, request: { now: number; requestTtlMs: number }, what: string): never {
    this.remember(key, `!${code}`, request.now, request.requestTtlMs);
    throw refused(code, what);
  }
}

/** Adds to a user's count in a per-campaign map of counts; removes the user at zero. */
export function addCount(counts: Map<string, Map<string, number>>, key: string, user: string, by: number): number {
  let users = counts.get(key);
  if (!users) counts.set(key, (users = new Map()));
  const next = (users.get(user) ?? 0) + by;
  if (next <= 0) users.delete(user);
  else users.set(user, next);
  return next;
}
