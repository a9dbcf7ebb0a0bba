import type { Product } from '../../protocol/frames.ts';
import type { GroupStatus, OfferTerms } from '../../protocol/views.ts';

export interface GroupBuyCampaign extends OfferTerms {
  id: string;
  room: string;
  product: Product;
  /** Group price per unit, fen. */
  price: number;
  /** Members needed to form a group. */
  size: number;
  ttlSec: number;
  /** Groups a user may be in (open or formed) per campaign. */
  perUserLimit: number;
  status: 'live' | 'ended';
  opened: number;
  formed: number;
  failed: number;
}

export interface Group {
  id: string;
  room: string;
  campaign: string;
  leader: string;
  members: string[];
  /** Each member's reservation, in member order. */
  orders: string[];
  size: number;
  status: GroupStatus;
  createdAt: number;
  expiresAt: number;
  formedAt?: number;
  failedAt?: number;
}
