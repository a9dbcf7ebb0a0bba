import type { FlashSale, Order } from '../../commerce/model.ts';

export interface IssuedCoupon {
  id: string;
  user: string;
  value: number;
  minSpend: number;
  validUntil: number;
  usedBy?: string;
}

/**
 * Everything commerce keeps in the memory engine. Each store method below runs without an await
 * between its checks and its writes, which is what makes it atomic in one process.
 */
export class CommerceState {
  readonly sales = new Map<string, FlashSale>();
  /** sale key -> user -> units held */
  readonly buyers = new Map<string, Map<string, number>>();
  readonly orders = new Map<string, Order>();
  /** room|user|requestId -> first answer: an order id, or a refusal code */
  readonly requests = new Map<string, { answer: string; expiresAt: number }>();
  readonly issuedCoupons = new Map<string, IssuedCoupon>();
  readonly schedule = new Map<string, number>();

  firstAnswer(key: string, now: number): string | undefined {
    const hit = this.requests.get(key);
    if (hit && hit.expiresAt > now) return hit.answer;
    return undefined;
  }

  remember(key: string, answer: string, now: number, ttlMs: number): void {
    this.requests.set(key, { answer, expiresAt: now + ttlMs });
  }
}

export const saleKey = (room: string, id: string) => `${room}|${id}`;
