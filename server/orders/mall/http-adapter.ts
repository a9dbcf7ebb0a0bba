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

/** PROTOCOL.md's `http` mall: signed JSON over HTTP; 4xx is final, 5xx and timeouts are retried. */
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
    if (res.status >= 400 && res.status < 500) throw new MallRejected(res.status, `mall refused (${res.status}): ${text.slice(0, 200)}`);
    if (!res.ok) throw new MallUnavailable(`mall failed (${res.status})`);
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new MallUnavailable('mall answered with invalid JSON');
    }
  }
}
