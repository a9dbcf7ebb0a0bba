import type { Audience } from '../../protocol/views.ts';

/** A coupon campaign as kept; the coupon a viewer holds is the protocol's IssuedCoupon. */

export type CouponStatus = 'created' | 'popped';

export interface CouponCampaign {
  id: string;
  room: string;
  title: string;
  /** Discount, fen. */
  value: number;
  minSpend: number;
  quantity: number;
  perUserLimit: number;
  audience: Audience;
  popupSec: number;
  validDays: number;
  status: CouponStatus;
  left: number;
  issued: number;
  poppedAt?: number;
  closesAt?: number;
}
