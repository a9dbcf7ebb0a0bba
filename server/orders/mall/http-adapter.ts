import { z } from 'zod';
import type { Order } from '../model.ts';
import { signedHeaders } from '../signing.ts';
import { MallRejected, MallUnavailable, type MallAdapter, type MallReceipt } from './adapter.ts';

const receiptSchema = z.object({ mallOrderId: z.string().min(1).max(128), payPath: z.string().min(1).max(1024) });

export interface HttpMallOptions {
  /** The mall's order endpoint (`MALL_URL`); refunds go to `<url>/refunds`. */
  url: string;
  secret: string;
  timeoutMs: number;
}

/** 4xx answers that mean "not now" (timeout, too early, too many requests), not "never". */
const BUSY = new Set([408, 425, 429]);

/** `Retry-After` (RFC 9110): delay-seconds or an HTTP-date (IMF-fixdate); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** PROTOCOL.md's `http` mall: signed JSON over HTTP; 4xx is final except 408, 425 and 429, which are retried like 5xx and timeouts. */
export class HttpMallAdapter implements MallAdapter {
  constructor(private readonly options: HttpMallOptions) {}

  async push(order: Order): Promise<MallReceipt> {
    const body = {
      orderId: order.id,
      room: order.room,
      user: order.user,
      source: order.source,
      items: [{ product: order.product, qty: order.qty, price: order.price }],
      amount: order.amount,
      payDeadline: order.payDeadline,
      ...(order.coupon ? { coupon: order.coupon } : {}),
    };
    const answer = await this.post(this.options.url, body);
    const receipt = receiptSchema.safeParse(answer);
    if (!receipt.success) throw new MallUnavailable(`the mall answered without { mallOrderId, payPath } for ${order.id}`);
    return receipt.data;
  }

  async refund(order: Order & { mallOrderId?: string }, reason: string): Promise<void> {
    await this.post(`${this.options.url.replace(/\/$/, '')}/refunds`, { orderId: order.id, mallOrderId: order.mallOrderId, amount: order.amount, reason });
  }

  private async post(url: string, payload: unknown): Promise<unknown> {
    const body = JSON.stringify(payload);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(this.options.secret, body) },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw new MallUnavailable(`mall unreachable: ${(err as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      if (res.status >= 400 && res.status < 500 && !BUSY.has(res.status)) throw new MallRejected(res.status, `mall refused (${res.status}): ${text.slice(0, 200)}`);
      throw new MallUnavailable(`mall ${BUSY.has(res.status) ? 'busy' : 'failed'} (${res.status})`, retryAfterMs(res.headers.get('retry-after')));
    }
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new MallUnavailable('mall answered with invalid JSON');
    }
  }
}
