/** A coupon campaign as kept; the coupon a viewer holds is the protocol's IssuedCoupon. */

/** Who may claim: anyone when it names nobody, else a viewer with one of its tags or from one of its channels. */
export interface Audience {
  tags?: string[];
  channels?: string[];
}

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
