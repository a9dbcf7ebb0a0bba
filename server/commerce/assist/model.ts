import type { Product } from '../../protocol/frames.ts';
import type { AssistStatus, OfferTerms } from '../../protocol/views.ts';

/** Its terms (an audience, first orders only) say who may start one; anyone may help. */
export interface AssistCampaign extends OfferTerms {
  id: string;
  room: string;
  /** With a price: completing earns a reserved purchase of this product at that price. */
  product?: Product;
  price?: number;
  /** Helps needed. */
  target: number;
  ttlSec: number;
  /** Helps one helper may give across the campaign's assists. */
  perHelperLimit: number;
  reward: { coupon?: string };
  status: 'live' | 'ended';
  started: number;
  completed: number;
}

export interface Assist {
  id: string;
  room: string;
  campaign: string;
  owner: string;
  helpers: string[];
  target: number;
  shareCode: string;
  status: AssistStatus;
  createdAt: number;
  expiresAt: number;
  completedAt?: number;
  /** The reward purchase, when the campaign has a price. */
  order?: string;
}
