import type { Assist, AssistCampaign, CouponCampaign, CouponStatus, FlashSale, Group, GroupBuyCampaign, Order } from '../commerce/model.ts';
import type { FlashSaleStatus, IssuedCoupon, OrderState } from '../protocol/views.ts';

/** The commerce half of the Engine port: every decision here is atomic in both engines. */
export interface CommerceStore {
  flash: FlashSaleStore;
  coupons: CouponStore;
  groups: GroupBuyStore;
  assists: AssistStore;
  orders: OrderStore;
  schedule: Scheduler;
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

export interface FlashSaleStore {
  /** False when the id is taken in the room. */
  create(sale: FlashSale): Promise<boolean>;
  get(room: string, id: string): Promise<FlashSale | null>;
  list(room: string): Promise<FlashSale[]>;
  /** Moves the sale to `to` if it is in one of `from`, else null: of racing callers one wins. */
  transition(room: string, id: string, from: FlashSaleStatus[], to: FlashSaleStatus, patch: Partial<FlashSale>): Promise<FlashSale | null>;
  /** Window, limits, stock and coupon checked and stock taken in one step; refusals throw RoomcastError. */
  buy(request: BuyRequest): Promise<BuyOutcome>;
  /**
   * Releases an unpaid order (reserved or submitted) once, into `expired` (its deadline passed) or
   * `cancelled` (the mall cancelled it); null when it was not unpaid (paid, released already).
   */
  release(room: string, orderId: string, now: number, to?: 'expired' | 'cancelled'): Promise<ReleaseOutcome | null>;
  /**
   * Publishes the sale's stock left as state `flash:{sale}:left`, read at the moment of publishing,
   * so that publications from several nodes cannot leave viewers with an older value.
   */
  publishLeft(room: string, id: string): Promise<void>;
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

export interface CouponStore {
  create(campaign: CouponCampaign): Promise<boolean>;
  get(room: string, id: string): Promise<CouponCampaign | null>;
  list(room: string): Promise<CouponCampaign[]>;
  transition(room: string, id: string, from: CouponStatus[], to: CouponStatus, patch: Partial<CouponCampaign>): Promise<CouponCampaign | null>;
  /** Window, per-user limit and quantity checked and one coupon issued in one step; refusals throw. */
  claim(request: ClaimRequest): Promise<{ coupon: IssuedCoupon; left: number; replayed: boolean }>;
  /** Issues one coupon as a reward, outside the pop-up window, within the quantity; null when none is left. */
  grant(room: string, campaign: string, user: string, couponId: string, now: number): Promise<IssuedCoupon | null>;
  /** Publishes `coupon:{id}:left`, read at the moment of publishing. */
  publishLeft(room: string, id: string): Promise<void>;
}

export interface SeatRequest {
  room: string;
  user: string;
  orderId: string;
  requestId: string;
  now: number;
  requestTtlMs: number;
}

/** A member whose group failed, and what their reservation was before it expired. */
export interface FailedSeat {
  member: string;
  order: string;
  /** `reserved` or `submitted` (now expired), or `paid` (now refunding). */
  stateBefore: string;
}

export interface GroupBuyStore {
  create(campaign: GroupBuyCampaign): Promise<boolean>;
  get(room: string, id: string): Promise<GroupBuyCampaign | null>;
  list(room: string): Promise<GroupBuyCampaign[]>;
  /** A new group led by the user, with their reservation and its expiry scheduled; refusals throw. */
  open(request: SeatRequest & { campaign: string; groupId: string }): Promise<{ group: Group; replayed: boolean }>;
  /** A seat taken at join time; the seat that fills the group forms it (`formedNow`, once). */
  join(request: SeatRequest & { group: string }): Promise<{ group: Group; replayed: boolean; formedNow: boolean }>;
  /** Fails an open group past its time, once; null when it was not open or not yet due. */
  expire(room: string, group: string, now: number): Promise<FailedSeat[] | null>;
  group(room: string, id: string): Promise<Group | null>;
  /** Open groups of a campaign, fullest first. */
  openGroups(room: string, campaign: string, limit: number): Promise<Group[]>;
}

export interface AssistStore {
  create(campaign: AssistCampaign): Promise<boolean>;
  get(room: string, id: string): Promise<AssistCampaign | null>;
  list(room: string): Promise<AssistCampaign[]>;
  /**
   * A new assist, or the user's open one of this campaign, or the one this request made before
   * (`created` false). Throws ShareCodeTaken when the share code is someone else's: draw another.
   */
  start(request: { room: string; campaign: string; user: string; assistId: string; shareCode: string; now: number }): Promise<{ assist: Assist; created: boolean }>;
  /** One help; the completing one completes the assist once (and reserves the reward purchase). */
  help(request: { room: string; assist: string; user: string; helpId: string; now: number; requestTtlMs: number; rewardOrderId: string; rewardPayWindowMs: number }): Promise<{ assist: Assist; replayed: boolean; completedNow: boolean }>;
  /** Expires an open assist past its time, once. */
  expire(room: string, id: string, now: number): Promise<boolean>;
  assist(room: string, id: string): Promise<Assist | null>;
  /** Where an assist is, by its id or its share code. */
  locate(ref: { assist?: string; shareCode?: string }): Promise<{ room: string; id: string } | null>;
}

export class ShareCodeTaken extends Error {
  override name = 'ShareCodeTaken';
}

export interface OrderStore {
  get(id: string): Promise<Order | null>;
  /** Moves the order to `to` if it is in one of `from` (stamping `<to>At`); null when it was not. */
  transition(id: string, from: OrderState[], to: OrderState, patch?: Partial<Order>): Promise<Order | null>;
  /**
   * Orders still `reserved` that were created before `createdBefore`, oldest first: the settle
   * sweep's work list. Orders that left `reserved` drop out of it for good.
   */
  unsettled(createdBefore: number, limit: number): Promise<Order[]>;
}

/** Work due at a time (pay deadlines, campaign clocks), handed out once per lease across nodes. */
export interface Scheduler {
  /** Scheduling a key again moves it. */
  at(key: string, when: number): Promise<void>;
  /** Keys due by `now`; each is handed out again after `leaseMs` unless `done`. */
  claimDue(now: number, leaseMs: number, limit: number): Promise<string[]>;
  done(key: string): Promise<void>;
}
